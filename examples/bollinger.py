"""Bollinger Bands (20, 2) on EURUSD H1, 2017: buy when the close touches the lower band, close
the position when it touches the upper band.

Run it as it is: the backtest uses the sample data that ships with the SDK and needs no broker.
To trade the same rules live, fill in your MT5 account below and set BACKTEST = False
(or run it with `mas live`, which sends its orders to the broker without editing the file).
"""

import mas

PERIOD = 20  # bars of the middle band (a simple moving average)
WIDTH = 2.0  # band distance in standard deviations
VOLUME = 0.1  # lots per trade
BACKTEST = True  # False: send the orders to your MT5 account instead


class MAS_Client(mas):
    def __init__(self):
        super().__init__()
        self.closes = []  # the last PERIOD closes
        self.order_id = None  # the buy whose position we hold; None when we hold nothing

    def receive_bars(self, symbol, data, is_end):
        close = data["close"]
        self.closes.append(close)
        if len(self.closes) > PERIOD:
            self.closes.pop(0)
        if len(self.closes) < PERIOD or is_end:  # an order on the last bar could never fill
            return
        middle = sum(self.closes) / PERIOD
        std = (sum((c - middle) ** 2 for c in self.closes) / PERIOD) ** 0.5
        upper, lower = middle + WIDTH * std, middle - WIDTH * std

        if self.order_id is None and close <= lower:
            self.buy(symbol)
        elif self.order_id is not None and close >= upper:
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
