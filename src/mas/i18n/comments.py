"""The simulated terminal's comments (why an order was refused, what happened to it), in the three
languages.

A :class:`Comment` is the English text, which is what MT5's own ``comment`` fields and
``last_error()`` carry, so the terminal's results read like MT5's. It also remembers its catalog
key and values, so the MAS client renders it in the language ``set_lang`` chose
(:func:`localize`).
"""

from __future__ import annotations

COMMENTS: dict[str, dict[str, str]] = {
    "request_executed": {"en": "Request executed", "zh-tw": "請求已執行", "zh-cn": "请求已执行"},
    "request_placed": {"en": "Request placed", "zh-tw": "請求已下達", "zh-cn": "请求已下达"},
    "accepted_market": {
        "en": "Request accepted: the order fills at the next bar's open",
        "zh-tw": "請求已受理：訂單將於下一根K線開盤價成交",
        "zh-cn": "请求已受理：订单将于下一根K线开盘价成交",
    },
    "placed_pending": {"en": "Pending order placed", "zh-tw": "掛單已下達", "zh-cn": "挂单已下达"},
    "order_modified": {"en": "Order modified", "zh-tw": "訂單已修改", "zh-cn": "订单已修改"},
    "order_canceled": {"en": "Order canceled", "zh-tw": "訂單已取消", "zh-cn": "订单已取消"},
    "order_expired": {"en": "Order expired", "zh-tw": "訂單已過期", "zh-cn": "订单已过期"},
    "canceled_replay_end": {
        "en": "Order canceled: the backtest replay ended",
        "zh-tw": "訂單已取消：回測重播結束",
        "zh-cn": "订单已取消：回测回放结束",
    },
    "closed_by": {"en": "Positions closed by each other", "zh-tw": "部位已互相平倉", "zh-cn": "持仓已互相平仓"},
    "stop_limit_triggered": {
        "en": "Stop-limit triggered: limit order placed",
        "zh-tw": "停損限價單已觸發：限價單已下達",
        "zh-cn": "止损限价单已触发：限价单已下达",
    },
    "no_replay": {
        "en": "no backtest replay is running: simulated orders are filled by a replay started with "
              "subscribe_bars({{..., 'backtest_toggle': True}}); send them from receive_bars",
        "zh-tw": "沒有正在執行的回測重播：模擬訂單由 subscribe_bars({{..., 'backtest_toggle': True}}) "
                 "啟動的重播撮合；請在 receive_bars 中送出",
        "zh-cn": "没有正在运行的回测回放：模拟订单由 subscribe_bars({{..., 'backtest_toggle': True}}) "
                 "启动的回放撮合；请在 receive_bars 中发送",
    },
    "unknown_action": {
        "en": "unknown trade action {action}", "zh-tw": "未知的交易動作 {action}", "zh-cn": "未知的交易动作 {action}",
    },
    "not_pending": {
        "en": "order {order} is not an active pending order",
        "zh-tw": "訂單 {order} 不是有效的掛單",
        "zh-cn": "订单 {order} 不是有效的挂单",
    },
    "modify_needs_price": {
        "en": "modify needs the order's price", "zh-tw": "修改訂單需要提供價格", "zh-cn": "修改订单需要提供价格",
    },
    "position_not_open": {
        "en": "position {position} is not open", "zh-tw": "部位 {position} 未持有", "zh-cn": "持仓 {position} 不存在",
    },
    "position_already_closed": {
        "en": "position {position} is already closed",
        "zh-tw": "部位 {position} 已平倉",
        "zh-cn": "持仓 {position} 已平仓",
    },
    "close_by_hedging": {
        "en": "close by is only possible on a hedging account",
        "zh-tw": "互相平倉僅適用於對沖帳戶",
        "zh-cn": "互相平仓仅适用于对冲账户",
    },
    "close_by_open": {
        "en": "close by: both positions must be open",
        "zh-tw": "互相平倉：兩個部位都必須持有中",
        "zh-cn": "互相平仓：两个持仓都必须存在",
    },
    "close_by_opposite": {
        "en": "close by needs two opposite positions of one symbol",
        "zh-tw": "互相平倉需要同一商品的兩個反向部位",
        "zh-cn": "互相平仓需要同一品种的两个反向持仓",
    },
    "symbol_not_replayed": {
        "en": "symbol {symbol!r} is not part of this replay",
        "zh-tw": "商品 {symbol!r} 不在本次回測重播中",
        "zh-cn": "品种 {symbol!r} 不在本次回测回放中",
    },
    "trade_disabled": {
        "en": "trading {symbol} is disabled", "zh-tw": "{symbol} 已停止交易", "zh-cn": "{symbol} 已禁止交易",
    },
    "bad_filling": {
        "en": "unsupported filling type {filling}",
        "zh-tw": "不支援的成交方式 {filling}",
        "zh-cn": "不支持的成交方式 {filling}",
    },
    "not_market_type": {
        "en": "order type {type} is not a market order",
        "zh-tw": "訂單類型 {type} 不是市價單",
        "zh-cn": "订单类型 {type} 不是市价单",
    },
    "boc_limit_only": {
        "en": "book-or-cancel is only for limit orders",
        "zh-tw": "掛單或取消（BOC）僅適用於限價單",
        "zh-cn": "挂单或取消（BOC）仅适用于限价单",
    },
    "close_needs_opposite": {
        "en": "closing a position needs the opposite order type",
        "zh-tw": "平倉需要反向的訂單類型",
        "zh-cn": "平仓需要反向的订单类型",
    },
    "close_volume": {
        "en": "close volume {volume} exceeds position volume {position_volume}",
        "zh-tw": "平倉手數 {volume} 超過部位手數 {position_volume}",
        "zh-cn": "平仓手数 {volume} 超过持仓手数 {position_volume}",
    },
    "close_waiting": {
        "en": "a close order for position {position} is already waiting",
        "zh-tw": "部位 {position} 已有等待成交的平倉單",
        "zh-cn": "持仓 {position} 已有等待成交的平仓单",
    },
    "not_pending_type": {
        "en": "order type {type} is not a pending order type",
        "zh-tw": "訂單類型 {type} 不是掛單類型",
        "zh-cn": "订单类型 {type} 不是挂单类型",
    },
    "pending_needs_price": {
        "en": "a pending order needs a positive price",
        "zh-tw": "掛單需要正數價格",
        "zh-cn": "挂单需要正数价格",
    },
    "expiration_past": {
        "en": "expiration must be in the future", "zh-tw": "到期時間必須在未來", "zh-cn": "到期时间必须在未来",
    },
    "bad_type_time": {
        "en": "unknown type_time {type_time}", "zh-tw": "未知的 type_time {type_time}",
        "zh-cn": "未知的 type_time {type_time}",
    },
    "wrong_side": {
        "en": "{order_type} price {price} is on the wrong side of the market (bid {bid}, ask {ask}); limits go "
              "below ask / above bid, stops above ask / below bid",
        "zh-tw": "{order_type} 價格 {price} 位於市場的錯誤一側（買價 {bid}，賣價 {ask}）；限價單須低於賣價或高於買價，"
                 "停損單須高於賣價或低於買價",
        "zh-cn": "{order_type} 价格 {price} 位于市场的错误一侧（买价 {bid}，卖价 {ask}）；限价单须低于卖价或高于买价，"
                 "止损单须高于卖价或低于买价",
    },
    "stops_negative": {
        "en": "sl and tp must be positive prices (0 = none)",
        "zh-tw": "sl 與 tp 必須是正數價格（0 = 不設定）",
        "zh-cn": "sl 与 tp 必须是正数价格（0 = 不设置）",
    },
    "stops_buy": {
        "en": "invalid stops for a buy at {price}: sl must be below and tp above the price (got sl={sl}, tp={tp})",
        "zh-tw": "買單在 {price} 的停損停利無效：sl 必須低於、tp 必須高於價格（收到 sl={sl}，tp={tp}）",
        "zh-cn": "买单在 {price} 的止损止盈无效：sl 必须低于、tp 必须高于价格（收到 sl={sl}，tp={tp}）",
    },
    "stops_sell": {
        "en": "invalid stops for a sell at {price}: sl must be above and tp below the price (got sl={sl}, tp={tp})",
        "zh-tw": "賣單在 {price} 的停損停利無效：sl 必須高於、tp 必須低於價格（收到 sl={sl}，tp={tp}）",
        "zh-cn": "卖单在 {price} 的止损止盈无效：sl 必须高于、tp 必须低于价格（收到 sl={sl}，tp={tp}）",
    },
    "no_free_margin": {
        "en": "not enough free margin: {needed:.2f} {currency} needed, {free:.2f} free",
        "zh-tw": "可用保證金不足：需要 {needed:.2f} {currency}，可用 {free:.2f}",
        "zh-cn": "可用保证金不足：需要 {needed:.2f} {currency}，可用 {free:.2f}",
    },
    "no_free_margin_at_fill": {
        "en": "not enough free margin at the fill: {needed:.2f} {currency} needed",
        "zh-tw": "成交時可用保證金不足：需要 {needed:.2f} {currency}",
        "zh-cn": "成交时可用保证金不足：需要 {needed:.2f} {currency}",
    },
    "volume_not_positive": {
        "en": "volume {volume} must be a positive number of lots",
        "zh-tw": "手數 {volume} 必須是正數",
        "zh-cn": "手数 {volume} 必须是正数",
    },
    "volume_below_min": {
        "en": "volume {volume} is below the minimum {minimum} lots of {symbol}",
        "zh-tw": "手數 {volume} 低於 {symbol} 的最小手數 {minimum}",
        "zh-cn": "手数 {volume} 低于 {symbol} 的最小手数 {minimum}",
    },
    "volume_above_max": {
        "en": "volume {volume} is above the maximum {maximum} lots of {symbol}",
        "zh-tw": "手數 {volume} 高於 {symbol} 的最大手數 {maximum}",
        "zh-cn": "手数 {volume} 高于 {symbol} 的最大手数 {maximum}",
    },
    "volume_step": {
        "en": "volume {volume} is not a multiple of the volume step {step} of {symbol}",
        "zh-tw": "手數 {volume} 不是 {symbol} 手數間距 {step} 的倍數",
        "zh-cn": "手数 {volume} 不是 {symbol} 手数步长 {step} 的倍数",
    },
}


class Comment(str):
    """English text of a terminal comment that also knows its catalog ``key`` and ``values``."""

    key: str
    values: dict[str, object]

    def __new__(cls, key: str, **values: object) -> Comment:
        text = super().__new__(cls, COMMENTS[key]["en"].format(**values))
        text.key = key
        text.values = values
        return text

    def in_language(self, lang: str) -> str:
        """This comment in ``lang`` ('en', 'zh-tw' or 'zh-cn'; English when a text is missing)."""
        table = COMMENTS[self.key]
        return (table.get(lang) or table["en"]).format(**self.values)

    def __reduce__(self) -> tuple:
        # pickles (e.g. to a Dask worker or a journal) as plain English text, like MT5's comments
        return (str, (str(self),))


def localize(text: str, lang: str) -> str:
    """``text`` in ``lang`` when it is a :class:`Comment`, else unchanged (e.g. a live server's comment)."""
    return text.in_language(lang) if isinstance(text, Comment) else text
