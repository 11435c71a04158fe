"""KD stochastic (9, 3, 3) on EURUSD H1, 2017: buy when K crosses above D below 20, close when
K crosses below D above 80.

RSV = (close - lowest low) / (highest high - lowest low) * 100 over the last 9 bars,
K = 2/3 * previous K + 1/3 * RSV, D = 2/3 * previous D + 1/3 * K, both starting at 50.

Run it as it is: the backtest uses the sample data that ships with the SDK and needs no broker.
To trade the same rules live, fill in your MT5 account below and set BACKTEST = False
(or run it with `mas live`, which sends its orders to the broker without editing the file).
"""

import mas

PERIOD = 9  # bars of the RSV
OVERSOLD = 20  # buy on a cross up with K below this
OVERBOUGHT = 80  # close on a cross down with K above this
VOLUME = 0.1  # lots per trade
BACKTEST = True  # False: send the orders to your MT5 account instead


class MAS_Client(mas):
    def __init__(self):
        super().__init__()
        self.highs = []  # the last PERIOD highs and lows
        self.lows = []
        self.k = 50.0
        self.d = 50.0
        self.prev_diff = None  # K - D on the previous bar
        self.order_id = None  # the buy whose position we hold; None when we hold nothing

    def receive_bars(self, symbol, data, is_end):
        self.highs.append(data["high"])
        self.lows.append(data["low"])
        if len(self.highs) > PERIOD:
            self.highs.pop(0)
            self.lows.pop(0)
        if len(self.highs) < PERIOD:
            return
        highest, lowest = max(self.highs), min(self.lows)
        rsv = 50.0 if highest == lowest else (data["close"] - lowest) / (highest - lowest) * 100
        self.k = 2 / 3 * self.k + 1 / 3 * rsv
        self.d = 2 / 3 * self.d + 1 / 3 * self.k
        diff = self.k - self.d
        if abs(diff) < 1e-8:  # equal up to floating-point noise
            diff = 0.0
        prev_diff, self.prev_diff = self.prev_diff, diff
        if prev_diff is None or is_end:  # an order on the last bar of a backtest could never fill
            return

        if self.order_id is None and prev_diff <= 0 < diff and self.k < OVERSOLD:
            self.buy(symbol)
        elif self.order_id is not None and prev_diff >= 0 > diff and self.k > OVERBOUGHT:
            self.close(symbol)

    def buy(self, symbol):
        order = {"symbol": symbol, "order_type": "buy", "volume": VOLUME, "backtest_toggle": self.backtest_toggle}
        self.order_id = self.send_order(order)  # None if the order was rejected

    def close(self, symbol):
        order = {
            "symbol": symbol,
            "order_type": "sell",
            "volume": VOLUME,
            "order_id": self.order_id,  # a sell carrying the buy's id closes that position
            "backtest_toggle": self.backtest_toggle,
        }
        if self.send_order(order) is not None:
            self.order_id = None

    def receive_order_status(self, order_id, status_data):
        if status_data["retcode"] not in (10008, 10009):  # 10008 placed, 10009 done
            print("receive_order_status:", order_id, status_data["retcode"], status_data["message"])

    def receive_order_execution(self, order_id, execution_data):
        print(
            "receive_order_execution:",
            order_id,
            execution_data["time"],
            execution_data["type"],
            execution_data["volume"],
            execution_data["symbol"],
            "@",
            execution_data["price"],
        )


def main():
    mas_client = MAS_Client()
    mas_client.backtest_toggle = BACKTEST  # every order of the strategy follows it
    try:
        login_params = {"account": "YOUR_ACCOUNT", "password": "YOUR_PASSWORD", "server": "YOUR_SERVER"}
        if not mas_client.login(login_params):
            print("Not logged in: fill in your MT5 account to trade live (backtests need no login).")
    except Exception as e:
        print(f"Login failed: {e}")

    mas_client.subscribe_bars(
        {
            "symbol": "EURUSD",
            "timeframe": "H1",
            "from": "2017-01-01",
            "to": "2017-12-31",
            "captital": 10000,
            "backtest_toggle": mas_client.backtest_toggle,
        }
    )
    if not mas_client.backtest_toggle:  # live: bars keep arriving in the background until we stop
        input("Trading live. Press Enter to stop.\n")
        mas_client.stop_all_subscriptions()

    account = mas_client.get_account_info()
    print(f"Balance {account.get('balance')} {account.get('currency')}, equity {account.get('equity')}")
    report = mas_client.generate_data_report()
    if report["status"]:
        metrics = report["data"]["performance_metrics"]
        print("Trades:", metrics["number_of_trades"])
        print("Total profit/loss:", report["data"]["general_data"]["total_profit_loss"])
        print("Win rate %:", metrics["win_rate"], " Max drawdown %:", metrics["max_drawdown"])
        print("Sharpe ratio:", metrics["sharpe_ratio"], " Profit factor:", metrics["profit_factor"])
    else:
        print("No report:", report["error"])


if __name__ == "__main__":
    main()
