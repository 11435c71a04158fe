"""MA cross on EURUSD H1, 2017: buy when SMA(5) crosses above SMA(20), close when it crosses below.

Run it as it is: the backtest uses the sample data that ships with the SDK and needs no broker.
To trade the same rules live, fill in your MT5 account below and set BACKTEST = False
(or run it with `mas live`, which sends its orders to the broker without editing the file).
"""

import mas

FAST = 5  # bars of the fast average
SLOW = 20  # bars of the slow average
VOLUME = 0.1  # lots per trade
BACKTEST = True  # False: send the orders to your MT5 account instead


class MAS_Client(mas):
    def __init__(self):
        super().__init__()
        self.closes = []  # the last SLOW closes
        self.prev_fast = None
        self.prev_slow = None
        self.order_id = None  # the buy whose position we hold; None when we hold nothing

    def receive_bars(self, symbol, data, is_end):
        self.closes.append(data["close"])
        if len(self.closes) > SLOW:
            self.closes.pop(0)
        if len(self.closes) < SLOW:
            return
        # Rounded, so that two averages that are equal compare equal despite floating-point noise
        # (with 5-decimal quotes SMA(5) and SMA(20) are sometimes exactly the same).
        fast = round(sum(self.closes[-FAST:]) / FAST, 10)
        slow = round(sum(self.closes) / SLOW, 10)
        prev_fast, prev_slow = self.prev_fast, self.prev_slow
        self.prev_fast, self.prev_slow = fast, slow
        if prev_fast is None or is_end:  # an order on the last bar of a backtest could never fill
            return

        if self.order_id is None and prev_fast <= prev_slow and fast > slow:
            self.buy(symbol)
        elif self.order_id is not None and prev_fast >= prev_slow and fast < slow:
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
