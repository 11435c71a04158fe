"""The ``mas`` command's own fixed texts (summaries, headings): key -> {language: template}.

Numbers, symbols, paths and dates are values; only the words around them are translated.
"""

from __future__ import annotations

CLI_MESSAGES: dict[str, dict[str, str]] = {
    "data_none_from_terminal": {
        "en": "{symbol}: the terminal has no {what} from {first} to {last}",
        "zh-tw": "{symbol}：終端沒有 {first} 至 {last} 的 {what}",
        "zh-cn": "{symbol}：终端没有 {first} 至 {last} 的 {what}",
    },
    "data_copied_from_terminal": {
        "en": "{symbol}: {rows:,} {what} from {first} to {last} (UTC) stored in {path}",
        "zh-tw": "{symbol}：{first} 至 {last}（UTC）的 {rows:,} 筆 {what} 已儲存於 {path}",
        "zh-cn": "{symbol}：{first} 至 {last}（UTC）的 {rows:,} 条 {what} 已存储于 {path}",
    },
    "word_ticks": {"en": "ticks", "zh-tw": "逐筆報價", "zh-cn": "逐笔报价"},
    "word_m1_candles": {"en": "M1 candles", "zh-tw": "M1 K線", "zh-cn": "M1 K线"},
    "word_yes": {"en": "yes", "zh-tw": "是", "zh-cn": "是"},
    "word_no": {"en": "no", "zh-tw": "否", "zh-cn": "否"},
    "data_list_title": {
        "en": "Stored data (times in UTC; user store: {root})",
        "zh-tw": "已儲存的資料（時間為 UTC；使用者資料夾：{root}）",
        "zh-cn": "已存储的数据（时间为 UTC；用户文件夹：{root}）",
    },
    "data_list_columns": {
        "en": "Symbol|TF|Rows|First|Last|Side|Spr|Gaps|Source",
        "zh-tw": "商品|週期|筆數|首筆|末筆|報價|點差|缺口|來源",
        "zh-cn": "品种|周期|条数|首条|末条|报价|点差|缺口|来源",
    },
    "data_tick_days_missing": {"en": "{count} day(s)", "zh-tw": "{count} 天", "zh-cn": "{count} 天"},
    "data_tick_source": {
        "en": "{path} ({days} days)", "zh-tw": "{path}（{days} 天）", "zh-cn": "{path}（{days} 天）",
    },
    "data_removed_temp": {
        "en": "Removed {count} temp file(s) left by interrupted writes",
        "zh-tw": "已刪除 {count} 個中斷寫入遺留的暫存檔",
        "zh-cn": "已删除 {count} 个中断写入遗留的临时文件",
    },
    "data_gaps_explained": {
        "en": "Gaps are missing open-market time (weekends Fri 21:00 - Sun 22:00 UTC and Dec 25 / Jan 1 are closed) "
              "of at least {minutes:g} minutes and one bar; for D1 and above, missing weekdays, weeks or months.",
        "zh-tw": "缺口是缺少的開市時間（週末 Fri 21:00 - Sun 22:00 UTC 與 12/25、1/1 休市），至少 {minutes:g} 分鐘且"
                 "至少一根K線；D1 以上則為缺少的交易日、週或月。",
        "zh-cn": "缺口是缺少的开市时间（周末 Fri 21:00 - Sun 22:00 UTC 与 12/25、1/1 休市），至少 {minutes:g} 分钟且"
                 "至少一根K线；D1 以上则为缺少的交易日、周或月。",
    },
    "data_removed_bars": {
        "en": "Removed {symbol} {timeframe} bars ({path})",
        "zh-tw": "已刪除 {symbol} {timeframe} K線（{path}）",
        "zh-cn": "已删除 {symbol} {timeframe} K线（{path}）",
    },
    "data_removed_ticks": {
        "en": "Removed {symbol} ticks: {days} day file(s)",
        "zh-tw": "已刪除 {symbol} 逐筆報價：{days} 個日檔",
        "zh-cn": "已删除 {symbol} 逐笔报价：{days} 个日文件",
    },
    "data_imported": {
        "en": "Imported [bold]{path}[/bold] ({fmt}) as {symbol} {timeframe}",
        "zh-tw": "已匯入 [bold]{path}[/bold]（{fmt}）為 {symbol} {timeframe}",
        "zh-cn": "已导入 [bold]{path}[/bold]（{fmt}）为 {symbol} {timeframe}",
    },
    "data_rows_read": {
        "en": "  rows read:    {rows}",
        "zh-tw": "  讀取筆數：    {rows}",
        "zh-cn": "  读取条数：    {rows}",
    },
    "data_rows_stored": {
        "en": "  rows stored:  {rows}  ({first} .. {last} UTC)",
        "zh-tw": "  儲存筆數：    {rows}  （{first} .. {last} UTC）",
        "zh-cn": "  存储条数：    {rows}  （{first} .. {last} UTC）",
    },
    "data_import_ticks": {
        "en": "  ticks:        {days} day file(s), {written} written: {added} ticks new, {replaced} replaced, "
              "{total} in those days",
        "zh-tw": "  逐筆報價：    {days} 個日檔，寫入 {written} 個：新增 {added} 筆，取代 {replaced} 筆，"
                 "這些日子共 {total} 筆",
        "zh-cn": "  逐笔报价：    {days} 个日文件，写入 {written} 个：新增 {added} 条，替换 {replaced} 条，"
                 "这些日子共 {total} 条",
    },
    "data_store_update": {
        "en": "  {label:<13} {path}: {added} new, {replaced} changed, {total} bars in total",
        "zh-tw": "  {label:<13} {path}：新增 {added} 根，變更 {replaced} 根，共 {total} 根K線",
        "zh-cn": "  {label:<13} {path}：新增 {added} 根，变更 {replaced} 根，共 {total} 根K线",
    },
    "label_m1_bars": {"en": "M1 bars:", "zh-tw": "M1 K線：", "zh-cn": "M1 K线："},
    "label_store": {"en": "store:", "zh-tw": "資料庫：", "zh-cn": "数据库："},
    "data_issues_none": {"en": "  issues:       none", "zh-tw": "  問題：        無", "zh-cn": "  问题：        无"},
    "data_issues": {"en": "  issues:", "zh-tw": "  問題：", "zh-cn": "  问题："},
    "data_downloaded": {
        "en": "Downloaded {symbol} {what} {first} .. {last}: {files} file(s), {fetched} fetched, {cached} from the "
              "cache, {empty} without data",
        "zh-tw": "已下載 {symbol} {what} {first} .. {last}：{files} 個檔案，下載 {fetched} 個，快取 {cached} 個，"
                 "無資料 {empty} 個",
        "zh-cn": "已下载 {symbol} {what} {first} .. {last}：{files} 个文件，下载 {fetched} 个，缓存 {cached} 个，"
                 "无数据 {empty} 个",
    },
    "data_no_data_in_range": {
        "en": "  [yellow]no data in this range[/yellow] (weekend or holiday days, or not available)",
        "zh-tw": "  [yellow]此範圍沒有資料[/yellow]（週末、假日或無法取得）",
        "zh-cn": "  [yellow]此范围没有数据[/yellow]（周末、假日或无法获取）",
    },
    "data_download_ticks": {
        "en": "  ticks:        {days} day file(s), {written} written",
        "zh-tw": "  逐筆報價：    {days} 個日檔，寫入 {written} 個",
        "zh-cn": "  逐笔报价：    {days} 个日文件，写入 {written} 个",
    },
    "data_check_head": {
        "en": "\n[bold]{symbol} {timeframe}[/bold] ({source}): {rows} rows, {first} .. {last} UTC",
        "zh-tw": "\n[bold]{symbol} {timeframe}[/bold]（{source}）：{rows} 筆，{first} .. {last} UTC",
        "zh-cn": "\n[bold]{symbol} {timeframe}[/bold]（{source}）：{rows} 条，{first} .. {last} UTC",
    },
    "data_check_clean_ticks": {
        "en": "  rows:  no unordered stamps, no zero or crossed quotes",
        "zh-tw": "  資料：沒有亂序的時間戳記，沒有為零或交叉的報價",
        "zh-cn": "  数据：没有乱序的时间戳，没有为零或交叉的报价",
    },
    "data_check_clean_bars": {
        "en": "  rows:  no duplicate or unordered stamps, no zero or inverted candles",
        "zh-tw": "  資料：沒有重複或亂序的時間戳記，沒有為零或顛倒的K線",
        "zh-cn": "  数据：没有重复或乱序的时间戳，没有为零或颠倒的K线",
    },
    "data_gaps_none": {"en": "  gaps:  none", "zh-tw": "  缺口：無", "zh-cn": "  缺口：无"},
    "data_gaps_total": {
        "en": "  gaps:  {count}, {hours:.1f} open-market hours missing in total",
        "zh-tw": "  缺口：{count} 個，共缺少 {hours:.1f} 個開市小時",
        "zh-cn": "  缺口：{count} 个，共缺少 {hours:.1f} 个开市小时",
    },
    "data_gap_bars": {"en": "{bars} bar(s), ", "zh-tw": "{bars} 根K線，", "zh-cn": "{bars} 根K线，"},
    "data_gap_line": {
        "en": "    {start} .. {end}: {bars}{hours:.1f} h open",
        "zh-tw": "    {start} .. {end}：{bars}開市 {hours:.1f} 小時",
        "zh-cn": "    {start} .. {end}：{bars}开市 {hours:.1f} 小时",
    },
    "data_gaps_more": {
        "en": "    ... {count} more",
        "zh-tw": "    ……還有 {count} 個",
        "zh-cn": "    ……还有 {count} 个",
    },
    "sim_listening": {
        "en": "mas sim server listening on {host}:{port}{tls} - {symbol} {timeframe} at bar {bar}, speed {speed:g}x, "
              "{accounts} account(s){state}",
        "zh-tw": "mas 模擬伺服器正在 {host}:{port}{tls} 監聽 - {symbol} {timeframe}，第 {bar} 根K線，"
                 "速度 {speed:g} 倍，{accounts} 個帳號{state}",
        "zh-cn": "mas 模拟服务器正在 {host}:{port}{tls} 监听 - {symbol} {timeframe}，第 {bar} 根K线，"
                 "速度 {speed:g} 倍，{accounts} 个账号{state}",
    },
    "sim_state_file": {"en": ", state {path}", "zh-tw": "，狀態檔 {path}", "zh-cn": "，状态文件 {path}"},
    "sim_stopped": {"en": "mas sim server stopped", "zh-tw": "mas 模擬伺服器已停止", "zh-cn": "mas 模拟服务器已停止"},
    "sim_open_warning": {
        "en": "warning: listening on {host}: anyone who can reach it can try these accounts{clear}",
        "zh-tw": "警告：正在 {host} 監聽：任何能連到它的人都可以嘗試登入這些帳號{clear}",
        "zh-cn": "警告：正在 {host} 监听：任何能连到它的人都可以尝试登录这些账号{clear}",
    },
    "sim_clear_passwords": {
        "en": ", and passwords cross the network unencrypted (use --tls-cert/--tls-key)",
        "zh-tw": "，且密碼以未加密方式在網路上傳送（請使用 --tls-cert/--tls-key）",
        "zh-cn": "，且密码以未加密方式在网络上传输（请使用 --tls-cert/--tls-key）",
    },
    "strategy_spec_written": {
        "en": "spec written to {path}", "zh-tw": "策略規格已寫入 {path}", "zh-cn": "策略规格已写入 {path}",
    },
    "strategy_schema_written": {
        "en": "schema written to {path}", "zh-tw": "結構描述已寫入 {path}", "zh-cn": "结构描述已写入 {path}",
    },
    "strategy_program_written": {
        "en": "program written to {path}; run it with: python {path}",
        "zh-tw": "程式已寫入 {path}；執行方式：python {path}",
        "zh-cn": "程序已写入 {path}；运行方式：python {path}",
    },
    "strategy_exe_written": {
        "en": "executable written to {path}", "zh-tw": "執行檔已寫入 {path}", "zh-cn": "可执行文件已写入 {path}",
    },
}
