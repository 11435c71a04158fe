"""Messages of the data checks (mas.data.quality) and of what an import did with the rows it flagged
(mas.data.importers), as ``mas data import/check/download`` and the web app's Data page print them:
key -> {language: template}.

Same rules as :mod:`mas.i18n.error_messages`: ``str.format`` fields, the same in every language.
"""

from __future__ import annotations

QUALITY_MESSAGES: dict[str, dict[str, str]] = {
    "quality_duplicate_time": {"en": "rows repeating an earlier time", "zh-tw": "與先前時間重複的列",
                               "zh-cn": "与先前时间重复的行"},
    "quality_rows_out_of_order": {"en": "rows earlier than the row before them", "zh-tw": "時間早於前一列的列",
                                  "zh-cn": "时间早于前一行的行"},
    "quality_inverted": {"en": "inverted candles, high < low", "zh-tw": "顛倒的 K 棒，high < low",
                         "zh-cn": "颠倒的 K 线，high < low"},
    "quality_non_positive_prices": {"en": "zero or negative prices", "zh-tw": "零或負的價格", "zh-cn": "零或负的价格"},
    "quality_open_close_outside": {"en": "open or close outside [low, high]", "zh-tw": "開盤價或收盤價超出 [low, high]",
                                   "zh-cn": "开盘价或收盘价超出 [low, high]"},
    "quality_off_grid": {"en": "times not on the {timeframe} grid", "zh-tw": "不在 {timeframe} 時間格線上的時間",
                         "zh-cn": "不在 {timeframe} 时间网格上的时间"},
    "quality_ticks_out_of_order": {"en": "ticks earlier than the tick before them", "zh-tw": "時間早於前一筆的 tick",
                                   "zh-cn": "时间早于前一笔的 tick"},
    "quality_non_positive_quotes": {"en": "zero or negative bid or ask", "zh-tw": "零或負的買價或賣價",
                                    "zh-cn": "零或负的买价或卖价"},
    "quality_crossed": {"en": "crossed quotes, ask < bid", "zh-tw": "交叉報價，ask < bid",
                        "zh-cn": "交叉报价，ask < bid"},
    "quality_implausible": {
        "en": "implausible bars (a price more than {factor:g} times away from the bar's reference price (median of the "
              "previous close, the open and the close) or an open that far from the previous close)",
        "zh-tw": "不合理的 K 棒（有價格與該 K 棒的參考價（前收盤價、開盤價與收盤價的中位數）相差超過 {factor:g} 倍，"
                 "或開盤價與前收盤價相差如此之多）",
        "zh-cn": "不合理的 K 线（有价格与该 K 线的参考价（前收盘价、开盘价与收盘价的中位数）相差超过 {factor:g} 倍，"
                 "或开盘价与前收盘价相差如此之多）",
    },
    "quality_no_trading": {"en": "minutes without trading (volume 0)", "zh-tw": "沒有交易的分鐘（成交量 0）",
                           "zh-cn": "没有交易的分钟（成交量 0）"},
    "quality_no_price_yet": {"en": "ticks before the first bid and ask", "zh-tw": "第一筆買賣報價之前的 tick",
                             "zh-cn": "第一笔买卖报价之前的 tick"},
    "import_issue": {"en": "{what} ({note})", "zh-tw": "{what}（{note}）", "zh-cn": "{what}（{note}）"},
    "import_note_last_kept": {"en": "the last valid row is kept", "zh-tw": "保留最後一筆有效的列",
                              "zh-cn": "保留最后一笔有效的行"},
    "import_note_sorted": {"en": "sorted by time", "zh-tw": "已依時間排序", "zh-cn": "已按时间排序"},
    "import_note_stored": {"en": "stored as they are", "zh-tw": "照原樣儲存", "zh-cn": "按原样存储"},
    "import_note_not_stored": {"en": "not stored", "zh-tw": "未儲存", "zh-cn": "未存储"},
    "data_issue_line": {"en": "    {count} {description}; line(s) {lines}",
                        "zh-tw": "    {count} {description}；第 {lines} 行",
                        "zh-cn": "    {count} {description}；第 {lines} 行"},
    "data_issue_count": {"en": "  {count} {description}", "zh-tw": "  {count} {description}",
                         "zh-cn": "  {count} {description}"},
    "data_problem_line": {"en": "  {count} {description}: {times}{more}",
                          "zh-tw": "  {count} {description}：{times}{more}",
                          "zh-cn": "  {count} {description}：{times}{more}"},
}
