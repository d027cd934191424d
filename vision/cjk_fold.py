"""Traditional Chinese characters folded to their simplified forms, for matching only.

PP-OCR's recogniser sometimes reads a simplified character as its traditional twin (删 as 刪, 录 as
錄), which would make `"删除"` miss a button labelled 删除. The table holds the characters common in
app UIs; both the description and the screen text are folded, so either script matches either.
"""

from __future__ import annotations

__all__ = ["fold_traditional"]

_TRADITIONAL = (
    "刪設編輯確認錄戶碼頁單選擇項號帳郵電話訊資態啟關閉開儲載傳檔標簽題華書東車門問間們個這來時會實現發後"
    "應與對於經過還進動導從種機體當點數據網絡統務訂價稱錯誤請輸歡頭級證驗規則條視圖報紀歷權員組織庫倉買賣"
    "貨產類別細詳幫說節鍵擊顯隱藏無條總計額費稅幣銷售區域縣鄉鎮廣場園際聯繫郵寄遞運輸車輛飛機場訂單狀態預覽"
    "編號記憶體麼讓給們嗎麼際連結鏈區塊線覽器響聲環境變義務專業學習課題試卷閱讀寫詞語譯註冊登陸錄註銷帳戶"
    "餘額優惠劵碼轉換匯率幣種價格庫存貨倉運費屬性規格參數值預設設備裝置狀況處理審核批準駁回撤銷復製粘貼"
    "剪貼板屏幕截圖畫質聲音頻視頻圖片文檔附件下載上傳進度完成失敗異常錯誤警告通知訊息郵件簡訊"
)
_SIMPLIFIED = (
    "删设编辑确认录户码页单选择项号帐邮电话讯资态启关闭开储载传档标签题华书东车门问间们个这来时会实现发后"
    "应与对于经过还进动导从种机体当点数据网络统务订价称错误请输欢头级证验规则条视图报纪历权员组织库仓买卖"
    "货产类别细详帮说节键击显隐藏无条总计额费税币销售区域县乡镇广场园际联系邮寄递运输车辆飞机场订单状态预览"
    "编号记忆体么让给们吗么际连结链区块线览器响声环境变义务专业学习课题试卷阅读写词语译注册登陆录注销帐户"
    "余额优惠券码转换汇率币种价格库存货仓运费属性规格参数值预设设备装置状况处理审核批准驳回撤销复制粘贴"
    "剪贴板屏幕截图画质声音频视频图片文档附件下载上传进度完成失败异常错误警告通知讯息邮件简讯"
)
assert len(_TRADITIONAL) == len(_SIMPLIFIED), "the two tables must line up"
_TABLE = str.maketrans({t: s for t, s in zip(_TRADITIONAL, _SIMPLIFIED, strict=True) if t != s})


def fold_traditional(text: str) -> str:
    """`text` with the traditional characters in the table replaced by their simplified forms."""
    return text.translate(_TABLE)
