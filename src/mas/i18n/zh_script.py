"""Simplified -> Traditional Chinese, character by character, for the words the SDK reads and writes.

The text parser folds Simplified input to Traditional before matching (:mod:`mas.strategy.parse.lexer`);
the explanations turn Traditional words into Simplified ones (:mod:`mas.strategy.explain`).
"""

from __future__ import annotations

__all__ = ["SIMPLIFIED"]

_PAIRS = (
    "买買 进進 卖賣 损損 点點 线線 轨軌 时時 条條 于於 当當 并並 与與 价價 盘盤 开開 周週 伦倫 纽紐 约約 东東 "
    "亚亞 欧歐 兑兌 对對 圆圓 币幣 镑鎊 黄黃 银銀 强強 标標 数數 动動 异異 号號 讯訊 状狀 图圖 带帶 随隨 机機 "
    "实實 趋趨 顺順 势勢 过過 稳穩 涨漲 连連 续續 个個 笔筆 单單 风風 险險 账帳 帐帳 户戶 资資 净淨 设設 为為 "
    "后後 场場 离離 仓倉 获獲 结結 踪蹤 区區 间間 达達 则則 将將 仅僅 钟鐘 扬揚 转轉 边邊 现現 两兩 万萬 "
    "关關 额額 头頭 处處 触觸 击擊 冲衝 创創 准準 选選 长長 统統 计計 总總 时時 么麼 这這 们們 义義 经經 "
    "维維 持持 择擇 试試 须須 满滿 仓倉 确確 认認 轴軸 柱柱 体體 较較 压壓 阻阻 撑撐 缩縮 减減 该該 让讓 "
    "测測 绿綠 红紅 岛島 夜夜 纽紐 约約 悉悉 尼尼 这這 个個 则則 权權 众眾 线線 涨漲 盈盈 亏虧 损損 币幣 "
    "补補 码碼 钮鈕 启啟 价價 级級 图圖 线線 "
    "记記 录錄 输輸 绘繪 显顯 储儲 报報 简簡 范範 逻邏 辑輯 说說 称稱 写寫 练練 习習 务務 题題 头頭 双雙 顶頂 "
    "网網 马馬 闻聞 农農 费費 滤濾 荡盪 调調 锤錘 态態 项項 编編 从從 种種 请請"
)
SIMPLIFIED: dict[str, str] = {pair[0]: pair[1] for pair in _PAIRS.split()}
"""Simplified -> Traditional for every character of the Chinese words that differs."""
