"""The ``mas`` command's success lines, notes and summaries: key -> {language: template}.

Numbers, symbols, paths and field names are values; only the sentences around them are translated.
"""

from __future__ import annotations

CLI_OUTPUT: dict[str, dict[str, str]] = {
    "out_result_written": {
        "en": "result written to {path}", "zh-tw": "結果已寫入 {path}", "zh-cn": "结果已写入 {path}",
    },
    "out_results_written": {
        "en": "results written to {path}", "zh-tw": "結果已寫入 {path}", "zh-cn": "结果已写入 {path}",
    },
    "out_report": {"en": "report: {path}", "zh-tw": "報告：{path}", "zh-cn": "报告：{path}"},
    "out_reports_in": {"en": "reports are in {path}", "zh-tw": "報告位於 {path}", "zh-cn": "报告位于 {path}"},
    "out_note_head": {"en": "note: ", "zh-tw": "注意：", "zh-cn": "注意："},
    "out_demo_intro": {
        "en": "MAS demo: SMA(5) x SMA(20) on the bundled real EURUSD H1 2017 candles "
              "(ask-side data: bid = ask - spread), 10,000 USD, leverage 1:100, 0.1 lot",
        "zh-tw": "MAS 示範：以內附的真實 EURUSD H1 2017 K線執行 SMA(5) x SMA(20)"
                 "（ask 報價資料：bid = ask - spread），10,000 USD，槓桿 1:100，0.1 手",
        "zh-cn": "MAS 示例：用内置的真实 EURUSD H1 2017 K线运行 SMA(5) x SMA(20)"
                 "（ask 报价数据：bid = ask - spread），10,000 USD，杠杆 1:100，0.1 手",
    },
    "out_llm_read": {
        "en": "the LLM read the text as:\n{explanation}",
        "zh-tw": "LLM 對這段文字的理解：\n{explanation}",
        "zh-cn": "LLM 对这段文字的理解：\n{explanation}",
    },
    "out_profile_saved": {
        "en": "profile {name} saved in {path}",
        "zh-tw": "設定檔 {name} 已儲存於 {path}",
        "zh-cn": "配置 {name} 已保存于 {path}",
    },
    "out_password_hint": {
        "en": "password: set {var}, pass it to login(), or re-run with --keyring",
        "zh-tw": "密碼：請設定 {var}、傳入 login()，或加上 --keyring 重新執行",
        "zh-cn": "密码：请设置 {var}、传入 login()，或加上 --keyring 重新运行",
    },
    "out_no_profiles": {
        "en": "no broker profiles in {path}",
        "zh-tw": "{path} 中沒有券商設定檔",
        "zh-cn": "{path} 中没有券商配置",
    },
    "out_no_profile": {"en": "no profile {name!r}", "zh-tw": "沒有設定檔 {name!r}", "zh-cn": "没有配置 {name!r}"},
    "out_profile_removed": {
        "en": "profile {name} removed", "zh-tw": "設定檔 {name} 已移除", "zh-cn": "配置 {name} 已删除",
    },
    "out_group_saved": {
        "en": "group {name} saved in {path}: {description}",
        "zh-tw": "帳戶群組 {name} 已儲存於 {path}：{description}",
        "zh-cn": "账户组 {name} 已保存于 {path}：{description}",
    },
    "out_no_groups": {
        "en": "no account groups in {path}", "zh-tw": "{path} 中沒有帳戶群組", "zh-cn": "{path} 中没有账户组",
    },
    "out_no_group": {"en": "no group {name!r}", "zh-tw": "沒有帳戶群組 {name!r}", "zh-cn": "没有账户组 {name!r}"},
    "out_group_removed": {
        "en": "group {name} removed", "zh-tw": "帳戶群組 {name} 已移除", "zh-cn": "账户组 {name} 已删除",
    },
    "out_exposure": {
        "en": "exposure {symbol}: largest net {largest:g} lots, at the end {final:g} lots",
        "zh-tw": "{symbol} 曝險：最大淨部位 {largest:g} 手，結束時 {final:g} 手",
        "zh-cn": "{symbol} 敞口：最大净持仓 {largest:g} 手，结束时 {final:g} 手",
    },
    "out_copier_reversed": {"en": " reversed", "zh-tw": "（反向）", "zh-cn": "（反向）"},
    "out_copier_started": {
        "en": "copier {name}: master {master} (account {account} on {server}) -> {followers}; sizing {sizing}; "
              "Ctrl-C stops",
        "zh-tw": "跟單 {name}：主帳戶 {master}（{server} 上的帳號 {account}）-> {followers}；手數計算 {sizing}；"
                 "按 Ctrl-C 停止",
        "zh-cn": "跟单 {name}：主账户 {master}（{server} 上的账号 {account}）-> {followers}；手数计算 {sizing}；"
                 "按 Ctrl-C 停止",
    },
    "out_copier_stopped": {
        "en": "copier {name}: stopped (the copies stay open)",
        "zh-tw": "跟單 {name}：已停止（複製的部位保持開啟）",
        "zh-cn": "跟单 {name}：已停止（复制的持仓保持打开）",
    },
    "out_no_copier_yet": {
        "en": "no copier has run yet (mas copy start --master PROFILE --followers A,B)",
        "zh-tw": "尚未執行過任何跟單（mas copy start --master PROFILE --followers A,B）",
        "zh-cn": "尚未运行过任何跟单（mas copy start --master PROFILE --followers A,B）",
    },
    "out_no_copier_named": {
        "en": "no copier named {name!r} (known: {known})",
        "zh-tw": "沒有名為 {name!r} 的跟單（已知：{known}）",
        "zh-cn": "没有名为 {name!r} 的跟单（已知：{known}）",
    },
    "out_word_none": {"en": "none", "zh-tw": "無", "zh-cn": "无"},
    "out_version": {
        "en": "mas {number} (engine: {engine}, Python {python})",
        "zh-tw": "mas {number}（引擎：{engine}，Python {python}）",
        "zh-cn": "mas {number}（引擎：{engine}，Python {python}）",
    },
    "out_version_unknown": {
        "en": "unknown (not installed)", "zh-tw": "未知（尚未安裝）", "zh-cn": "未知（尚未安装）",
    },
    "out_mt5_needs_password": {
        "en": "--login needs a password: set MAS_PASSWORD (or pass --password)",
        "zh-tw": "--login 需要密碼：請設定 MAS_PASSWORD（或加上 --password）",
        "zh-cn": "--login 需要密码：请设置 MAS_PASSWORD（或加上 --password）",
    },
    "out_opt_none_ran": {
        "en": "no parameter set could be backtested (see the reasons above)",
        "zh-tw": "沒有任何參數組能完成回測（原因見上方）",
        "zh-cn": "没有任何参数组能完成回测（原因见上方）",
    },
    "out_opt_counts": {
        "en": "{ok} run, {skipped} skipped, {error} failed",
        "zh-tw": "{ok} 組已執行，{skipped} 組略過，{error} 組失敗",
        "zh-cn": "{ok} 组已运行，{skipped} 组跳过，{error} 组失败",
    },
    "out_opt_more": {
        "en": "  ... and {count} more (see --json)",
        "zh-tw": "  ……另有 {count} 組（見 --json）",
        "zh-cn": "  ……另有 {count} 组（见 --json）",
    },
    "out_opt_no_metric": {
        "en": "no parameter set has a defined {metric}",
        "zh-tw": "沒有任何參數組有已定義的 {metric}",
        "zh-cn": "没有任何参数组有已定义的 {metric}",
    },
    "out_opt_best": {
        "en": "best: {params} {metric}={value}", "zh-tw": "最佳：{params} {metric}={value}",
        "zh-cn": "最佳：{params} {metric}={value}",
    },
    "out_opt_stitched": {
        "en": "stitched out-of-sample {metric}={value}, total return {total} %",
        "zh-tw": "串接的樣本外 {metric}={value}，總報酬 {total} %",
        "zh-cn": "拼接的样本外 {metric}={value}，总收益 {total} %",
    },
    "out_sym_saved": {
        "en": "symbol {key} saved in {path}", "zh-tw": "商品 {key} 已儲存於 {path}",
        "zh-cn": "品种 {key} 已保存于 {path}",
    },
    "out_sym_replaced": {
        "en": "symbol {key} replaced in {path}", "zh-tw": "商品 {key} 已於 {path} 中取代",
        "zh-cn": "品种 {key} 已在 {path} 中替换",
    },
    "out_sym_builtin_note": {
        "en": "note: {key} is a built-in symbol; these fields now replace the built-in's in every backtest "
              "('mas symbols remove {key}' restores it)",
        "zh-tw": "注意：{key} 是內建商品；這些欄位現在會在每次回測中取代內建值（'mas symbols remove {key}' 可還原）",
        "zh-cn": "注意：{key} 是内置品种；这些字段现在会在每次回测中替换内置值（'mas symbols remove {key}' 可还原）",
    },
    "out_sym_no_match": {
        "en": "no symbol matches {group!r}", "zh-tw": "沒有符合 {group!r} 的商品", "zh-cn": "没有符合 {group!r} 的品种",
    },
    "out_sym_table_title": {
        "en": "Symbols (yours in {path})", "zh-tw": "商品（您的設定在 {path}）", "zh-cn": "品种（您的设置在 {path}）",
    },
    "out_sym_suffixes": {
        "en": "broker suffixes: {suffixes}", "zh-tw": "券商字尾：{suffixes}", "zh-cn": "券商后缀：{suffixes}",
    },
    "out_sym_suffix_source": {
        "en": "the spec of {base} under a broker suffix",
        "zh-tw": "加上券商字尾的 {base} 規格",
        "zh-cn": "加上券商后缀的 {base} 规格",
    },
    "out_sym_removed": {
        "en": "symbol {key} removed from {path}", "zh-tw": "商品 {key} 已從 {path} 移除",
        "zh-cn": "品种 {key} 已从 {path} 删除",
    },
    "out_sym_removed_builtin": {
        "en": "symbol {key} removed from {path} (the built-in spec applies again)",
        "zh-tw": "商品 {key} 已從 {path} 移除（恢復使用內建規格）",
        "zh-cn": "品种 {key} 已从 {path} 删除（恢复使用内置规格）",
    },
    "out_sym_suffix_removed": {
        "en": "suffix of {profile} removed in {path}",
        "zh-tw": "{profile} 的字尾已於 {path} 中移除",
        "zh-cn": "{profile} 的后缀已在 {path} 中删除",
    },
    "out_sym_suffix_set": {
        "en": "suffix of {profile} = {suffix!r} in {path}",
        "zh-tw": "{profile} 的字尾 = {suffix!r}（{path}）",
        "zh-cn": "{profile} 的后缀 = {suffix!r}（{path}）",
    },
    # the tables and the summary lines: titles, headings, row labels (values as they are)
    "sum_equity_head": {
        "en": "Equity {first}{arrow}{last}: {start}{arrow}{end}{ccy}",
        "zh-tw": "淨值 {first}{arrow}{last}：{start}{arrow}{end}{ccy}",
        "zh-cn": "净值 {first}{arrow}{last}：{start}{arrow}{end}{ccy}",
    },
    "sum_equity_range": {
        "en": "low {low} on {low_day}, high {high} on {high_day}",
        "zh-tw": "最低 {low}（{low_day}），最高 {high}（{high_day}）",
        "zh-cn": "最低 {low}（{low_day}），最高 {high}（{high_day}）",
    },
    "sum_title": {
        "en": "{strategy} on {symbol} {timeframe}", "zh-tw": "{strategy}：{symbol} {timeframe}",
        "zh-cn": "{strategy}：{symbol} {timeframe}",
    },
    "sum_columns": {"en": "metric|value", "zh-tw": "指標|數值", "zh-cn": "指标|数值"},
    "sum_bars_replayed": {"en": "bars replayed", "zh-tw": "重播K線數", "zh-cn": "重播K线数"},
    "sum_final_equity": {"en": "final equity", "zh-tw": "最終淨值", "zh-cn": "最终净值"},
    "sum_net_profit": {"en": "net profit", "zh-tw": "淨利", "zh-cn": "净利润"},
    "sum_total_return": {"en": "total return", "zh-tw": "總報酬率", "zh-cn": "总收益率"},
    "sum_profit_factor": {"en": "profit factor", "zh-tw": "獲利因子", "zh-cn": "盈利因子"},
    "sum_expected_payoff": {"en": "expected payoff", "zh-tw": "期望收益", "zh-cn": "期望收益"},
    "sum_recovery_factor": {"en": "recovery factor", "zh-tw": "恢復因子", "zh-cn": "恢复因子"},
    "sum_win_rate": {"en": "win rate", "zh-tw": "勝率", "zh-cn": "胜率"},
    "sum_closed_trades": {
        "en": "closed trades (long / short won %)", "zh-tw": "已平倉交易（多單 / 空單勝率 %）",
        "zh-cn": "已平仓交易（多单 / 空单胜率 %）",
    },
    "sum_largest_loss": {"en": "largest loss trade", "zh-tw": "最大虧損交易", "zh-cn": "最大亏损交易"},
    "sum_equity_drawdown": {"en": "equity drawdown maximal", "zh-tw": "淨值最大回撤", "zh-cn": "净值最大回撤"},
    "sum_sharpe_sortino": {"en": "Sharpe / Sortino", "zh-tw": "夏普 / 索提諾", "zh-cn": "夏普 / 索提诺"},
    "sum_consecutive_losses": {"en": "max consecutive losses", "zh-tw": "最多連續虧損", "zh-cn": "最多连续亏损"},
    "sum_min_margin_level": {"en": "min margin level", "zh-tw": "最低保證金水平", "zh-cn": "最低保证金水平"},
    "sum_replay_seconds": {"en": "replay seconds", "zh-tw": "重播秒數", "zh-cn": "重播秒数"},
    "sum_engine": {"en": "engine", "zh-tw": "引擎", "zh-cn": "引擎"},
    "sum_engine_fast": {"en": "vectorized fast path", "zh-tw": "向量化快速路徑", "zh-cn": "向量化快速路径"},
    "sum_engine_event": {"en": "event ({build})", "zh-tw": "事件引擎（{build}）", "zh-cn": "事件引擎（{build}）"},
    "opt_progress": {"en": "optimizing", "zh-tw": "最佳化中", "zh-cn": "优化中"},
    "opt_wf_progress": {"en": "walk-forward", "zh-tw": "前推分析", "zh-cn": "前推分析"},
    "opt_title_max": {
        "en": "best {shown} of {total} by {metric} (max)",
        "zh-tw": "依 {metric} 排名前 {shown} 組，共 {total} 組（最大化）",
        "zh-cn": "按 {metric} 排名前 {shown} 组，共 {total} 组（最大化）",
    },
    "opt_title_min": {
        "en": "best {shown} of {total} by {metric} (min)",
        "zh-tw": "依 {metric} 排名前 {shown} 組，共 {total} 組（最小化）",
        "zh-cn": "按 {metric} 排名前 {shown} 组，共 {total} 组（最小化）",
    },
    "opt_col_return": {"en": "return %", "zh-tw": "報酬率 %", "zh-cn": "收益率 %"},
    "opt_col_sharpe": {"en": "Sharpe", "zh-tw": "夏普", "zh-cn": "夏普"},
    "opt_col_max_dd": {"en": "max DD %", "zh-tw": "最大回撤 %", "zh-cn": "最大回撤 %"},
    "opt_col_win": {"en": "win %", "zh-tw": "勝率 %", "zh-cn": "胜率 %"},
    "opt_col_trades": {"en": "trades", "zh-tw": "交易數", "zh-cn": "交易数"},
    "opt_col_pf": {"en": "PF", "zh-tw": "獲利因子", "zh-cn": "盈利因子"},
    "opt_col_sortino": {"en": "Sortino", "zh-tw": "索提諾", "zh-cn": "索提诺"},
    "opt_status_skipped": {"en": "skipped", "zh-tw": "略過", "zh-cn": "跳过"},
    "opt_status_error": {"en": "error", "zh-tw": "錯誤", "zh-cn": "错误"},
    "opt_wf_title_anchored": {
        "en": "walk-forward (anchored, in-sample {in_sample}, out-of-sample {out_of_sample}; {metric} in and out of "
              "sample)",
        "zh-tw": "前推分析（錨定，樣本內 {in_sample}，樣本外 {out_of_sample}；{metric} 的樣本內與樣本外值）",
        "zh-cn": "前推分析（锚定，样本内 {in_sample}，样本外 {out_of_sample}；{metric} 的样本内与样本外值）",
    },
    "opt_wf_title_rolling": {
        "en": "walk-forward (rolling, in-sample {in_sample}, out-of-sample {out_of_sample}; {metric} in and out of "
              "sample)",
        "zh-tw": "前推分析（滾動，樣本內 {in_sample}，樣本外 {out_of_sample}；{metric} 的樣本內與樣本外值）",
        "zh-cn": "前推分析（滚动，样本内 {in_sample}，样本外 {out_of_sample}；{metric} 的样本内与样本外值）",
    },
    "opt_wf_columns": {
        "en": "#|out-of-sample dates|best params|IS|OOS|degr.",
        "zh-tw": "#|樣本外日期|最佳參數|樣本內|樣本外|衰退",
        "zh-cn": "#|样本外日期|最佳参数|样本内|样本外|衰退",
    },
    "grp_title": {
        "en": "{strategy} on group {group} ({symbol} {timeframe}, allocation {allocation}, totals in {currency})",
        "zh-tw": "{strategy}：帳戶群組 {group}（{symbol} {timeframe}，分配方式 {allocation}，合計以 {currency} 計）",
        "zh-cn": "{strategy}：账户组 {group}（{symbol} {timeframe}，分配方式 {allocation}，合计以 {currency} 计）",
    },
    "grp_columns": {
        "en": "account|ccy|deposit|leverage|final equity|net profit|return %|max drawdown %|trades|stop-outs|"
              "min margin level %",
        "zh-tw": "帳戶|幣別|入金|槓桿|最終淨值|淨利|報酬率 %|最大回撤 %|交易數|強制平倉|最低保證金水平 %",
        "zh-cn": "账户|币种|入金|杠杆|最终净值|净利润|收益率 %|最大回撤 %|交易数|强制平仓|最低保证金水平 %",
    },
    "grp_total": {"en": "total", "zh-tw": "合計", "zh-cn": "合计"},
    "sym_columns": {
        "en": "Symbol|Base|Profit|Digits|Contract|Margin|Source",
        "zh-tw": "商品|基礎貨幣|獲利貨幣|小數位數|合約大小|保證金公式|來源",
        "zh-cn": "品种|基础货币|盈利货币|小数位数|合约大小|保证金公式|来源",
    },
    "sym_source_builtin": {"en": "built-in", "zh-tw": "內建", "zh-cn": "内置"},
    "sym_source_user": {"en": "user", "zh-tw": "使用者", "zh-cn": "用户"},
    "sym_source_user_over": {
        "en": "user over built-in", "zh-tw": "使用者（取代內建）", "zh-cn": "用户（替换内置）",
    },
    "copy_running": {"en": "running", "zh-tw": "執行中", "zh-cn": "运行中"},
    "copy_stopped": {"en": "stopped", "zh-tw": "已停止", "zh-cn": "已停止"},
    "copy_status_head": {
        "en": "copier {name}: {state}; master {profile} (account {account} on {server}); sizing {sizing}",
        "zh-tw": "跟單 {name}：{state}；主帳戶 {profile}（{server} 上的帳號 {account}）；手數計算 {sizing}",
        "zh-cn": "跟单 {name}：{state}；主账户 {profile}（{server} 上的账号 {account}）；手数计算 {sizing}",
    },
    "copy_status_follower_one": {
        "en": "  {name} (account {account} on {server}): up to master deal #{cursor}, {open} open copy, "
              "{pending} pending",
        "zh-tw": "  {name}（{server} 上的帳號 {account}）：已處理至主帳戶成交 #{cursor}，{open} 筆未平倉複製，"
                 "{pending} 筆待處理",
        "zh-cn": "  {name}（{server} 上的账号 {account}）：已处理至主账户成交 #{cursor}，{open} 笔未平仓复制，"
                 "{pending} 笔待处理",
    },
    "copy_status_follower": {
        "en": "  {name} (account {account} on {server}): up to master deal #{cursor}, {open} open copies, "
              "{pending} pending",
        "zh-tw": "  {name}（{server} 上的帳號 {account}）：已處理至主帳戶成交 #{cursor}，{open} 筆未平倉複製，"
                 "{pending} 筆待處理",
        "zh-cn": "  {name}（{server} 上的账号 {account}）：已处理至主账户成交 #{cursor}，{open} 笔未平仓复制，"
                 "{pending} 笔待处理",
    },
    "copy_status_mirror": {
        "en": "    master #{key} {master_symbol} {master_side} {master_volume} -> {state} {side} {symbol} "
              "{tickets}{note}",
        "zh-tw": "    主帳戶 #{key} {master_symbol} {master_side} {master_volume} -> {state} {side} {symbol} "
                 "{tickets}{note}",
        "zh-cn": "    主账户 #{key} {master_symbol} {master_side} {master_volume} -> {state} {side} {symbol} "
                 "{tickets}{note}",
    },
    "grp_status_head": {"en": "group {name}", "zh-tw": "帳戶群組 {name}", "zh-cn": "账户组 {name}"},
    "grp_status_columns": {
        "en": "account|login|balance|equity|margin|free margin|floating|realised|pos|ord|day",
        "zh-tw": "帳戶|帳號|餘額|淨值|保證金|可用保證金|浮動損益|已實現|部位|掛單|日期",
        "zh-cn": "账户|账号|余额|净值|保证金|可用保证金|浮动盈亏|已实现|持仓|挂单|日期",
    },
    "grp_status_exposure_head": {
        "en": "exposure (lots; value in the account currency):",
        "zh-tw": "曝險（手數；價值以帳戶幣別計）：",
        "zh-cn": "敞口（手数；价值以账户币种计）：",
    },
    "grp_status_exposure": {
        "en": "{symbol} long {long}  short {short}  net {net}  value {value}",
        "zh-tw": "{symbol} 多 {long}  空 {short}  淨 {net}  價值 {value}",
        "zh-cn": "{symbol} 多 {long}  空 {short}  净 {net}  价值 {value}",
    },
    "grp_status_account_exposure": {
        "en": "{name} {symbol} net {net}  value {value}",
        "zh-tw": "{name} {symbol} 淨 {net}  價值 {value}",
        "zh-cn": "{name} {symbol} 净 {net}  价值 {value}",
    },
    "grp_status_not_read": {
        "en": "{name}: not read ({reason})", "zh-tw": "{name}：無法讀取（{reason}）",
        "zh-cn": "{name}：无法读取（{reason}）",
    },
    "grp_dry_run_head": {
        "en": "group {name}: {symbol} {volume} lots by {allocation} (min-lot rule {rule}); nothing is sent",
        "zh-tw": "帳戶群組 {name}：{symbol} {volume} 手，分配方式 {allocation}（最小手數規則 {rule}）；不送出任何訂單",
        "zh-cn": "账户组 {name}：{symbol} {volume} 手，分配方式 {allocation}（最小手数规则 {rule}）；不发送任何订单",
    },
    "grp_split_columns": {
        "en": "account|target|volume|note", "zh-tw": "帳戶|目標|手數|備註", "zh-cn": "账户|目标|手数|备注",
    },
}
