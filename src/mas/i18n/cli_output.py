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
}
