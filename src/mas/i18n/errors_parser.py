"""Error message catalog of the text parser (mas.strategy.parse): key -> {language: template}, part of
:data:`mas.i18n.errors_strategy.ERRORS`.

Same rules as :mod:`mas.i18n.error_messages`: ``str.format`` fields, the same in every language; the user's own
words (``{word}``, quoted as typed), numbers, names and examples in the parser's syntax stay as written; only the
sentence around them is translated.
"""

from __future__ import annotations

PARSER_ERRORS: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ parse
    'parse_at': {
        'en': '{message} (at "{fragment}")',
        'zh-tw': '{message}（位置："{fragment}"）',
        'zh-cn': '{message}（位置："{fragment}"）',
    },
    'parse_readings': {
        'en': '{message}; it could mean: {listed}',
        'zh-tw': '{message}；可能的意思：{listed}',
        'zh-cn': '{message}；可能的意思：{listed}',
    },
    'parse_and_or_mixed': {
        'en': "'and' and 'or' are mixed in one condition; split it or repeat the action",
        'zh-tw': '同一個條件中混用了「and（且）」與「or（或）」；請拆開條件，或為每個條件重複寫出動作',
        'zh-cn': '同一个条件中混用了「and（且）」与「or（或）」；请拆开条件，或为每个条件重复写出动作',
    },
    'parse_join_before_then': {
        'en': "'{join}' before a 'then': which conditions are the first step? Put them in brackets, e.g. '(RSI < 30 "
              "and the close is below SMA(20)) and then ...'",
        'zh-tw': "'{join}' 出現在 'then（之後）' 之前：哪些條件屬於第一步？請用括號括起來，例如 '(RSI < 30 and the "
                 "close is below SMA(20)) and then ...'",
        'zh-cn': "'{join}' 出现在 'then（之后）' 之前：哪些条件属于第一步？请用括号括起来，例如 '(RSI < 30 and the "
                 "close is below SMA(20)) and then ...'",
    },
    'parse_ends_before_condition': {
        'en': 'the text ends where a condition should be',
        'zh-tw': '文字在應該出現條件的地方結束了',
        'zh-cn': '文字在应该出现条件的地方结束了',
    },
    'parse_bracket_open': {
        'en': "a bracket is not closed: ')' missing",
        'zh-tw': "括號沒有閉合：缺少 ')'",
        'zh-cn': "括号没有闭合：缺少 ')'",
    },
    'parse_golden_which_lines': {
        'en': '"{word}": of which two lines? e.g. "golden cross of SMA(5) and SMA(20)"',
        'zh-tw': '"{word}"：是哪兩條線？例如 "SMA(5) 與 SMA(20) 黃金交叉"',
        'zh-cn': '"{word}"：是哪两条线？例如 "SMA(5) 与 SMA(20) 金叉"',
    },
    'parse_how_many_bars': {
        'en': '"{word}": how many bars?',
        'zh-tw': '"{word}"：幾根K棒？',
        'zh-cn': '"{word}"：几根K线？',
    },
    'parse_bars_unit': {
        'en': '"{word}": bars? say e.g. "for 3 bars"',
        'zh-tw': '"{word}"：是K棒數嗎？請寫成例如 "連續3根K棒"',
        'zh-cn': '"{word}"：是K线数吗？请写成例如 "连续3根K线"',
    },
    'parse_not_bar_count': {
        'en': 'not a bar count',
        'zh-tw': '不是K棒數',
        'zh-cn': '不是K线数',
    },
    'parse_what_bars': {
        'en': 'a number of bars',
        'zh-tw': 'K棒數',
        'zh-cn': 'K线数',
    },
    'parse_what_period': {
        'en': 'a period',
        'zh-tw': '週期',
        'zh-cn': '周期',
    },
    'parse_what_positions': {
        'en': 'a number of positions',
        'zh-tw': '持倉數',
        'zh-cn': '持仓数',
    },
    'parse_expected_condition': {
        'en': "expected a condition (e.g. 'RSI(14) < 30')",
        'zh-tw': "這裡應該是一個條件（例如 'RSI(14) < 30'）",
        'zh-cn': "这里应该是一个条件（例如 'RSI(14) < 30'）",
    },
    'parse_incomplete_condition': {
        'en': 'an incomplete condition: compare it, or say what it crosses',
        'zh-tw': '條件不完整：請加上比較，或說明它穿越什麼',
        'zh-cn': '条件不完整：请加上比较，或说明它穿越什么',
    },
    'parse_between_what': {
        'en': 'between what? e.g. "between 40 and 60"',
        'zh-tw': '介於什麼之間？例如 "介於 40 與 60 之間"',
        'zh-cn': '介于什么之间？例如 "介于 40 与 60 之间"',
    },
    'parse_crosses_what_zh': {
        'en': '"{word}": crosses what? e.g. "由下往上穿越20日均線"',
        'zh-tw': '"{word}"：穿越什麼？例如 "由下往上穿越20日均線"',
        'zh-cn': '"{word}"：穿越什么？例如 "由下往上穿越20日均线"',
    },
    'parse_crosses_what': {
        'en': '"{word}": crosses what? e.g. "crosses above its signal line"',
        'zh-tw': '"{word}"：穿越什麼？例如 "向上穿越其訊號線"',
        'zh-cn': '"{word}"：穿越什么？例如 "向上穿越其信号线"',
    },
    'parse_cross_direction': {
        'en': '"{word}": in which direction? say "crosses above" or "crosses below"',
        'zh-tw': '"{word}"：往哪個方向？請寫 "向上穿越" 或 "向下穿越"',
        'zh-cn': '"{word}"：往哪个方向？请写 "向上穿越" 或 "向下穿越"',
    },
    'parse_cross_directions_disagree': {
        'en': 'the directions of this cross disagree (above and below)',
        'zh-tw': '這個穿越的方向互相矛盾（同時有向上與向下）',
        'zh-cn': '这个穿越的方向互相矛盾（同时有向上与向下）',
    },
    'parse_sequence_window': {
        'en': '"{word}": a sequence of two events needs a window: say within how many bars the second follows the '
              "first (e.g. 'RSI < 30 and then the close crosses above SMA(20) within 5 bars')",
        'zh-tw': '"{word}"：兩個先後發生的事件需要時間範圍：請說明第二個事件在第一個之後幾根K棒內發生（例如 \'RSI < '
                 "30 之後 5 根K棒內收盤價向上穿越 SMA(20)'）",
        'zh-cn': '"{word}"：两个先后发生的事件需要时间范围：请说明第二个事件在第一个之后几根K线内发生（例如 \'RSI < '
                 "30 之后 5 根K线内收盘价向上穿越 SMA(20)'）",
    },
    'parse_reading_at_or_below': {
        'en': '{left} at or below {right}',
        'zh-tw': '{left} 小於或等於 {right}',
        'zh-cn': '{left} 小于或等于 {right}',
    },
    'parse_reading_at_or_above': {
        'en': '{left} at or above {right}',
        'zh-tw': '{left} 大於或等於 {right}',
        'zh-cn': '{left} 大于或等于 {right}',
    },
    'parse_touch_which_side': {
        'en': '"{word}": from which side?',
        'zh-tw': '"{word}"：從哪一側？',
        'zh-cn': '"{word}"：从哪一侧？',
    },
    'parse_cross_which_lines': {
        'en': '"{word}": of which two lines? e.g. "SMA(5) crosses above SMA(20)"',
        'zh-tw': '"{word}"：是哪兩條線？例如 "SMA(5) 向上穿越 SMA(20)"',
        'zh-cn': '"{word}"：是哪两条线？例如 "SMA(5) 向上穿越 SMA(20)"',
    },
    'parse_level_not_defined': {
        'en': '"{word}": defined for RSI, KD, Stochastic, Williams %R and CCI, not for {name}',
        'zh-tw': '"{word}"：只適用於 RSI、KD、Stochastic、Williams %R 與 CCI，不適用於 {name}',
        'zh-cn': '"{word}"：只适用于 RSI、KD、Stochastic、Williams %R 与 CCI，不适用于 {name}',
    },
    'parse_whole_number': {
        'en': '"{word}": {what} must be a whole number of at least 1',
        'zh-tw': '"{word}"：{what}必須是至少為 1 的整數',
        'zh-cn': '"{word}"：{what}必须是至少为 1 的整数',
    },
    'parse_period_whole': {
        'en': '"{word}": a period must be a whole number of at least 1, got {value}',
        'zh-tw': '"{word}"：週期必須是至少為 1 的整數，收到 {value}',
        'zh-cn': '"{word}"：周期必须是至少为 1 的整数，收到 {value}',
    },
    'parse_against_currency': {
        'en': '"{word}": against which currency? e.g. "歐元兌美元", "EUR/USD"',
        'zh-tw': '"{word}"：兌哪一種貨幣？例如 "歐元兌美元"、"EUR/USD"',
        'zh-cn': '"{word}"：兑哪一种货币？例如 "欧元兑美元"、"EUR/USD"',
    },
    'parse_two_symbols': {
        'en': 'two different symbols: {current} and {value}',
        'zh-tw': '出現兩個不同的商品：{current} 與 {value}',
        'zh-cn': '出现两个不同的品种：{current} 与 {value}',
    },
    'parse_two_timeframes': {
        'en': 'two different timeframes: {current} and {value}',
        'zh-tw': '出現兩個不同的時間週期：{current} 與 {value}',
        'zh-cn': '出现两个不同的时间周期：{current} 与 {value}',
    },
    'parse_no_such_timeframe': {
        'en': '"{word}": there is no such timeframe (M1 ... M30, H1 ... H12, D1, W1)',
        'zh-tw': '"{word}"：沒有這個時間週期（M1 ... M30、H1 ... H12、D1、W1）',
        'zh-cn': '"{word}"：没有这个时间周期（M1 ... M30、H1 ... H12、D1、W1）',
    },
    'parse_until_when': {
        'en': '"{word}": until when? e.g. "08:00-17:00"',
        'zh-tw': '"{word}"：到幾點？例如 "08:00-17:00"',
        'zh-cn': '"{word}"：到几点？例如 "08:00-17:00"',
    },
    'parse_to_which_day': {
        'en': '"{word}": to which day?',
        'zh-tw': '"{word}"：到星期幾？',
        'zh-cn': '"{word}"：到星期几？',
    },
    'parse_mirror_no_opposite': {
        'en': '{level}: a level of a price or of an average has no opposite for shorts; write the short rules',
        'zh-tw': '{level}：價格或均線的水準沒有對應的空單鏡像；請寫出空單規則',
        'zh-cn': '{level}：价格或均线的水平没有对应的空单镜像；请写出空单规则',
    },
    'parse_action_no_condition': {
        'en': '"{word}": when? No condition follows it',
        'zh-tw': '"{word}"：什麼時候？後面沒有條件',
        'zh-cn': '"{word}"：什么时候？后面没有条件',
    },
    'parse_condition_no_action': {
        'en': 'a condition with no action: say what to do (buy, sell, short, cover, close)',
        'zh-tw': '有條件但沒有動作：請說明要做什麼（買進、賣出、放空、回補、平倉）',
        'zh-cn': '有条件但没有动作：请说明要做什么（买入、卖出、放空、平空、平仓）',
    },
    'parse_entry_opposite_of_what': {
        'en': '"{word}": an entry on the opposite of what? say the condition',
        'zh-tw': '"{word}"：進場條件是什麼的反向？請寫出條件',
        'zh-cn': '"{word}"：进场条件是什么的反向？请写出条件',
    },
    'parse_long_entry_not_single_cross': {
        'en': '"{word}": the long entry is not a single cross; say when to exit',
        'zh-tw': '"{word}"：多單進場條件不是單一的穿越；請說明何時出場',
        'zh-cn': '"{word}"：多单进场条件不是单一的穿越；请说明何时出场',
    },
    'parse_short_entry_not_single_cross': {
        'en': '"{word}": the short entry is not a single cross; say when to exit',
        'zh-tw': '"{word}"：空單進場條件不是單一的穿越；請說明何時出場',
        'zh-cn': '"{word}"：空单进场条件不是单一的穿越；请说明何时出场',
    },
    'parse_mirror_both_sides': {
        'en': '"{word}": the text states both long and short rules; keep either the short rules or "{word}"',
        'zh-tw': '"{word}"：文字同時寫了多單與空單規則；請只保留空單規則或 "{word}" 其中之一',
        'zh-cn': '"{word}"：文字同时写了多单与空单规则；请只保留空单规则或 "{word}" 其中之一',
    },
    'parse_word_reason': {
        'en': '"{word}": {reason}',
        'zh-tw': '"{word}"：{reason}',
        'zh-cn': '"{word}"：{reason}',
    },
    'parse_sell_no_buy': {
        'en': '"{word}" with no buy rule',
        'zh-tw': '"{word}" 但沒有買進規則',
        'zh-cn': '"{word}" 但没有买入规则',
    },
    'parse_reading_open_short': {
        'en': "open a short position when {condition} (say 'short when ...')",
        'zh-tw': "當 {condition} 時開空單（請寫 'short when ...'）",
        'zh-cn': "当 {condition} 时开空单（请写 'short when ...'）",
    },
    'parse_reading_close_long': {
        'en': "close a long position when {condition} (add a 'buy when ...' rule)",
        'zh-tw': "當 {condition} 時平多單（請加上 'buy when ...' 規則）",
        'zh-cn': "当 {condition} 时平多单（请加上 'buy when ...' 规则）",
    },
    'parse_no_position_to_close': {
        'en': '"{word}": there is no position to close (no buy or short rule)',
        'zh-tw': '"{word}"：沒有可平倉的部位（沒有買進或放空規則）',
        'zh-cn': '"{word}"：没有可平仓的持仓（没有买入或放空规则）',
    },
    'parse_no_entry_rule': {
        'en': "no entry rule: say when to buy or to short, e.g. 'buy when RSI(14) < 30'",
        'zh-tw': "沒有進場規則：請說明何時買進或放空，例如 'buy when RSI(14) < 30'（RSI(14) < 30 時買進）",
        'zh-cn': "没有进场规则：请说明何时买入或放空，例如 'buy when RSI(14) < 30'（RSI(14) < 30 时买入）",
    },
    'parse_self_comparison': {
        'en': 'a condition compares {name} with itself; name both sides',
        'zh-tw': '條件拿 {name} 與自己比較；請寫出兩邊各是什麼',
        'zh-cn': '条件拿 {name} 与自己比较；请写出两边各是什么',
    },
    'parse_invalid_strategy': {
        'en': 'the text describes an invalid strategy: {problems}',
        'zh-tw': '文字描述的策略無效：{problems}',
        'zh-cn': '文字描述的策略无效：{problems}',
    },
    # ------------------------------------------------------------------ parse_unsupported
    'parse_unsupported_head_shoulders': {
        'en': 'head-and-shoulders patterns are not supported',
        'zh-tw': '不支援頭肩型態',
        'zh-cn': '不支持头肩形态',
    },
    'parse_unsupported_chart_patterns': {
        'en': 'chart patterns are not supported',
        'zh-tw': '不支援圖表型態',
        'zh-cn': '不支持图表形态',
    },
    'parse_unsupported_candlesticks': {
        'en': 'candlestick patterns are not supported',
        'zh-tw': '不支援K線型態',
        'zh-cn': '不支持K线形态',
    },
    'parse_unsupported_fibonacci': {
        'en': 'Fibonacci levels are not supported',
        'zh-tw': '不支援斐波那契水準',
        'zh-cn': '不支持斐波那契水平',
    },
    'parse_unsupported_support_resistance': {
        'en': 'support and resistance levels are not supported',
        'zh-tw': '不支援支撐與壓力水準',
        'zh-cn': '不支持支撑与压力水平',
    },
    'parse_unsupported_divergence': {
        'en': 'divergence is not supported',
        'zh-tw': '不支援背離',
        'zh-cn': '不支持背离',
    },
    'parse_unsupported_indicator': {
        'en': 'this indicator is not supported (indicators: {indicators})',
        'zh-tw': '不支援這個指標（可用的指標：{indicators}）',
        'zh-cn': '不支持这个指标（可用的指标：{indicators}）',
    },
    'parse_unsupported_news': {
        'en': 'news filters are not supported',
        'zh-tw': '不支援新聞過濾',
        'zh-cn': '不支持新闻过滤',
    },
    'parse_unsupported_martingale': {
        'en': 'martingale sizing is not supported',
        'zh-tw': '不支援馬丁格爾加碼',
        'zh-cn': '不支持马丁格尔加仓',
    },
    'parse_unsupported_grid': {
        'en': 'grid trading is not supported',
        'zh-tw': '不支援網格交易',
        'zh-cn': '不支持网格交易',
    },
    'parse_unsupported_hedging': {
        'en': 'hedging is not supported',
        'zh-tw': '不支援對沖（鎖倉）',
        'zh-cn': '不支持对冲（锁仓）',
    },
    'parse_unsupported_pyramiding': {
        'en': 'adding to or reducing positions (pyramiding, scaling, averaging down) is not supported',
        'zh-tw': '不支援加碼或減碼（金字塔加碼、分批進出、攤平）',
        'zh-cn': '不支持加仓或减仓（金字塔加仓、分批进出、摊平）',
    },
    'parse_unsupported_partial_close': {
        'en': 'partial closes are not supported',
        'zh-tw': '不支援部分平倉',
        'zh-cn': '不支持部分平仓',
    },
    'parse_unsupported_break_even': {
        'en': 'moving the stop to break-even is not supported',
        'zh-tw': '不支援將停損移到保本價',
        'zh-cn': '不支持将止损移到保本价',
    },
    'parse_unsupported_trend_filter': {
        'en': "trend or market-regime filters are not supported; state the rule, e.g. 'close > SMA(200)'",
        'zh-tw': "不支援趨勢或市場狀態過濾；請寫出規則，例如 'close > SMA(200)'",
        'zh-cn': "不支持趋势或市场状态过滤；请写出规则，例如 'close > SMA(200)'",
    },
    'parse_unsupported_other_timeframe': {
        'en': 'conditions on another timeframe are not supported',
        'zh-tw': '不支援其他時間週期的條件',
        'zh-cn': '不支持其他时间周期的条件',
    },
    'parse_unsupported_pending_orders': {
        'en': "pending (limit / stop) entry orders are not supported: entries are at the bar's close",
        'zh-tw': '不支援掛單（限價 / 停損單）進場：進場價為K棒收盤價',
        'zh-cn': '不支持挂单（限价 / 止损单）进场：进场价为K线收盘价',
    },
    'parse_unsupported_spread': {
        'en': 'spread and slippage conditions are not supported',
        'zh-tw': '不支援點差與滑價條件',
        'zh-cn': '不支持点差与滑价条件',
    },
    'parse_unsupported_units': {
        'en': 'sizes in units, contracts or shares are not supported: give lots',
        'zh-tw': '不支援以單位、合約或股數表示的部位大小：請以手數表示',
        'zh-cn': '不支持以单位、合约或股数表示的持仓大小：请以手数表示',
    },
    'parse_unsupported_account_limits': {
        'en': 'account limits (daily loss, drawdown) are not supported',
        'zh-tw': '不支援帳戶限制（每日虧損、回撤）',
        'zh-cn': '不支持账户限制（每日亏损、回撤）',
    },
    'parse_unsupported_time_exit': {
        'en': 'exits at a time of day are not supported',
        'zh-tw': '不支援在一天中的特定時間出場',
        'zh-cn': '不支持在一天中的特定时间出场',
    },
    'parse_unsupported_gaps': {
        'en': 'gaps are not supported',
        'zh-tw': '不支援跳空',
        'zh-cn': '不支持跳空',
    },
    'parse_unsupported_price_patterns': {
        'en': 'price patterns (swings, pullbacks, bounces) are not supported; state the rule as a condition on prices '
              'or indicators',
        'zh-tw': '不支援價格型態（波段、回檔、反彈）；請把規則寫成價格或指標的條件',
        'zh-cn': '不支持价格形态（波段、回调、反弹）；请把规则写成价格或指标的条件',
    },
    'parse_unsupported_volatility': {
        'en': "volatility filters are not supported; state the rule, e.g. 'ATR(14) > 0.001'",
        'zh-tw': "不支援波動率過濾；請寫出規則，例如 'ATR(14) > 0.001'",
        'zh-cn': "不支持波动率过滤；请写出规则，例如 'ATR(14) > 0.001'",
    },
    'parse_unsupported_correlation': {
        'en': 'correlation is not supported',
        'zh-tw': '不支援相關性',
        'zh-cn': '不支持相关性',
    },
    'parse_unsupported_models': {
        'en': 'models and sentiment are not supported',
        'zh-tw': '不支援模型與市場情緒',
        'zh-cn': '不支持模型与市场情绪',
    },
    'parse_unsupported_risk_reward': {
        'en': 'a risk-reward ratio is not supported: give the take profit as a distance (pips, points, % or ATR)',
        'zh-tw': '不支援風報比：請以距離表示停利（pips、points、% 或 ATR）',
        'zh-cn': '不支持风报比：请以距离表示止盈（pips、points、% 或 ATR）',
    },
    'parse_unsupported_reentry': {
        'en': 're-entries and reversals are not supported; state each entry and exit rule',
        'zh-tw': '不支援再次進場與反手；請分別寫出每條進場與出場規則',
        'zh-cn': '不支持再次进场与反手；请分别写出每条进场与出场规则',
    },
    # ------------------------------------------------------------------ parse
    'parse_not_read': {
        'en': 'could not read "{word}"',
        'zh-tw': '無法理解 "{word}"',
        'zh-cn': '无法理解 "{word}"',
    },
    'parse_not_read_more': {
        'en': 'could not read "{word}" (also not understood: {others})',
        'zh-tw': '無法理解 "{word}"（同樣無法理解：{others}）',
        'zh-cn': '无法理解 "{word}"（同样无法理解：{others}）',
    },
    'parse_long_or_short': {
        'en': '"{word}": long or short? say "buy when ..." or "short when ..."',
        'zh-tw': '"{word}"：做多還是做空？請寫 "buy when ..."（買進）或 "short when ..."（放空）',
        'zh-cn': '"{word}"：做多还是做空？请写 "buy when ..."（买入）或 "short when ..."（放空）',
    },
    'parse_arithmetic_terms': {
        'en': "arithmetic needs a price or an indicator in each term, e.g. 'SMA(20) + 2 x ATR(14)'",
        'zh-tw': "算式的每一項都需要價格或指標，例如 'SMA(20) + 2 x ATR(14)'",
        'zh-cn': "算式的每一项都需要价格或指标，例如 'SMA(20) + 2 x ATR(14)'",
    },
    'parse_expected_value': {
        'en': 'expected a value here (a number, a price or an indicator)',
        'zh-tw': '這裡應該是一個值（數字、價格或指標）',
        'zh-cn': '这里应该是一个值（数字、价格或指标）',
    },
    'parse_previous_needs': {
        'en': "'previous' needs a price or an indicator",
        'zh-tw': "'previous'（前一根）需要搭配價格或指標",
        'zh-cn': "'previous'（前一根）需要搭配价格或指标",
    },
    'parse_extreme_how_many_bars': {
        'en': '"{word}": over how many bars? e.g. "highest high of the last 20 bars"',
        'zh-tw': '"{word}"：幾根K棒內？例如 "最近20根K棒的最高價"',
        'zh-cn': '"{word}"：几根K线内？例如 "最近20根K线的最高价"',
    },
    'parse_pronoun_what': {
        'en': '"{word}": what does it refer to?',
        'zh-tw': '"{word}"：指的是什麼？',
        'zh-cn': '"{word}"：指的是什么？',
    },
    'parse_expected_number': {
        'en': '"{word}": expected a number',
        'zh-tw': '"{word}"：這裡應該是數字',
        'zh-cn': '"{word}"：这里应该是数字',
    },
    'parse_expected_numbers_in_parentheses': {
        'en': '"{word}(...)": expected numbers in the parentheses',
        'zh-tw': '"{word}(...)"：括號中應該是數字',
        'zh-cn': '"{word}(...)"：括号中应该是数字',
    },
    'parse_parenthesis_open': {
        'en': '"{word}(": the parenthesis is not closed',
        'zh-tw': '"{word}("：括號沒有閉合',
        'zh-cn': '"{word}("：括号没有闭合',
    },
    'parse_named_what': {
        'en': '"{word}": {word} what? e.g. "{word} EMA with period 12"',
        'zh-tw': '"{word}"：{word} 什麼？例如 "{word} EMA with period 12"',
        'zh-cn': '"{word}"：{word} 什么？例如 "{word} EMA with period 12"',
    },
    'parse_named_which_period': {
        'en': '"{word}": which period? e.g. "{word} with period 12" before it is used',
        'zh-tw': '"{word}"：週期是多少？請在使用前寫出，例如 "{word} with period 12"',
        'zh-cn': '"{word}"：周期是多少？请在使用前写出，例如 "{word} with period 12"',
    },
    'parse_named_two_settings': {
        'en': '"{word}": two different settings for it',
        'zh-tw': '"{word}"：同一個指標有兩組不同的參數',
        'zh-cn': '"{word}"：同一个指标有两组不同的参数',
    },
    'parse_price_field_only_averages': {
        'en': '"{word}": only moving averages take a price field, e.g. "SMA(volume, 20)"',
        'zh-tw': '"{word}"：只有均線可以指定價格欄位，例如 "SMA(volume, 20)"',
        'zh-cn': '"{word}"：只有均线可以指定价格字段，例如 "SMA(volume, 20)"',
    },
    'parse_average_volume_bars': {
        'en': '"{word}": over how many bars? e.g. "20-bar average volume"',
        'zh-tw': '"{word}"：幾根K棒的平均？例如 "20日均量"',
        'zh-cn': '"{word}"：几根K线的平均？例如 "20日均量"',
    },
    'parse_which_indicator': {
        'en': '"{word}": which {name}? the text has {listed}; give its settings',
        'zh-tw': '"{word}"：是哪一個 {name}？文字中有 {listed}；請寫出它的參數',
        'zh-cn': '"{word}"：是哪一个 {name}？文字中有 {listed}；请写出它的参数',
    },
    'parse_which_period': {
        'en': '"{word}": which period? e.g. "SMA(20)" or "20-day moving average"',
        'zh-tw': '"{word}"：週期是多少？例如 "SMA(20)" 或 "20日均線"',
        'zh-cn': '"{word}"：周期是多少？例如 "SMA(20)" 或 "20日均线"',
    },
    'parse_takes_numbers': {
        'en': '"{word}" takes {count} number(s): {names}',
        'zh-tw': '"{word}" 只接受 {count} 個數字：{names}',
        'zh-cn': '"{word}" 只接受 {count} 个数字：{names}',
    },
    'parse_needs_params': {
        'en': '"{word}" needs {names}',
        'zh-tw': '"{word}" 需要 {names}',
        'zh-cn': '"{word}" 需要 {names}',
    },
    'parse_earlier_default': {
        'en': '"{word}": an earlier mention of {name} without settings was read as {ident} (standard settings); give '
              'the settings at the first mention',
        'zh-tw': '"{word}"：前面未寫參數的 {name} 已按標準參數讀成 {ident}；請在第一次提到時寫出參數',
        'zh-cn': '"{word}"：前面未写参数的 {name} 已按标准参数读成 {ident}；请在第一次提到时写出参数',
    },
    'parse_no_such_line': {
        'en': '"{word}": {name} has no such line',
        'zh-tw': '"{word}"：{name} 沒有這條線',
        'zh-cn': '"{word}"：{name} 没有这条线',
    },
    'parse_hold_how_many_bars': {
        'en': '"{word}": how many bars? e.g. "exit after 10 bars"',
        'zh-tw': '"{word}"：幾根K棒？例如 "10根K棒後出場"',
        'zh-cn': '"{word}"：几根K线？例如 "10根K线后出场"',
    },
    'parse_hold_in_bars': {
        'en': 'say it in bars, e.g. "exit after 10 bars"',
        'zh-tw': '請以K棒數表示，例如 "10根K棒後出場"',
        'zh-cn': '请以K线数表示，例如 "10根K线后出场"',
    },
    'parse_max_of_what': {
        'en': '"{word}": maximum of what? e.g. "max 2 open positions"',
        'zh-tw': '"{word}"：什麼的上限？例如 "最多持有2筆部位"',
        'zh-cn': '"{word}"：什么的上限？例如 "最多持有2笔持仓"',
    },
    'parse_risk_how_much': {
        'en': '"{word}": how much? e.g. "risk 1% of equity per trade"',
        'zh-tw': '"{word}"：多少？例如 "每筆交易風險為淨值的1%"',
        'zh-cn': '"{word}"：多少？例如 "每笔交易风险为净值的1%"',
    },
    'parse_how_many_lots': {
        'en': '"{word}": how many lots? e.g. "0.5 lots"',
        'zh-tw': '"{word}"：幾手？例如 "0.5手"',
        'zh-cn': '"{word}"：几手？例如 "0.5手"',
    },
    'parse_size_in_lots': {
        'en': '"{word}": give the size in lots (e.g. "0.5 lots"), or the risk per trade ("risk 1% per trade" with a '
              'stop loss)',
        'zh-tw': '"{word}"：請以手數表示部位大小（例如 "0.5手"），或寫出每筆交易的風險（"每筆風險1%"，並設定停損）',
        'zh-cn': '"{word}"：请以手数表示持仓大小（例如 "0.5手"），或写出每笔交易的风险（"每笔风险1%"，并设置止损）',
    },
    'parse_distance_units': {
        'en': '"{word}": distances are in pips, points, % or ATR',
        'zh-tw': '"{word}"：距離的單位是 pips、points、% 或 ATR',
        'zh-cn': '"{word}"：距离的单位是 pips、points、% 或 ATR',
    },
    'parse_how_far': {
        'en': '"{word}": how far? e.g. "30 pips", "1%" or "2 x ATR"',
        'zh-tw': '"{word}"：距離多遠？例如 "30 pips"、"1%" 或 "2 x ATR"',
        'zh-cn': '"{word}"：距离多远？例如 "30 pips"、"1%" 或 "2 x ATR"',
    },
    'parse_distance_what': {
        'en': '"{word}": {n} what?',
        'zh-tw': '"{word}"：{n} 的單位是什麼？',
        'zh-cn': '"{word}"：{n} 的单位是什么？',
    },
    'parse_reading_percent_of_price': {
        'en': '{n}% of the price',
        'zh-tw': '價格的 {n}%',
        'zh-cn': '价格的 {n}%',
    },
    'parse_text_empty': {
        'en': "the text is empty: describe when to buy or sell, e.g. 'buy when RSI(14) < 30'",
        'zh-tw': "文字是空的：請描述何時買進或賣出，例如 'buy when RSI(14) < 30'（RSI(14) < 30 時買進）",
        'zh-cn': "文字是空的：请描述何时买入或卖出，例如 'buy when RSI(14) < 30'（RSI(14) < 30 时买入）",
    },
    'parse_text_too_long': {
        'en': 'the text is too long ({length} characters; at most {limit})',
        'zh-tw': '文字太長（{length} 個字元；最多 {limit} 個）',
        'zh-cn': '文字太长（{length} 个字符；最多 {limit} 个）',
    },
    'parse_indicators_we_have': {
        'en': 'SMA, EMA, WMA, RSI, MACD, Bollinger Bands, KD, Stochastic, ATR, ADX, CCI, Williams %R, highest high / '
              'lowest low',
        'zh-tw': 'SMA、EMA、WMA、RSI、MACD、布林通道、KD、Stochastic、ATR、ADX、CCI、Williams %R、N 根K棒的最高價 / '
                 '最低價',
        'zh-cn': 'SMA、EMA、WMA、RSI、MACD、布林带、KD、Stochastic、ATR、ADX、CCI、Williams %R、N 根K线的最高价 / '
                 '最低价',
    },
}
