package places

import (
	"slices"
	"sort"
	"strings"
)

// The lexicon: the suffixes that end a place's name, the stop words that end the walk to its
// left, the generic names that are no place, and the markers of administrative levels.

// suffixes maps each suffix to its kind. The longest suffix ending at a position is used.
var suffixes = map[Kind][]string{
	KindEstate: {"小区", "花园", "家园", "新城", "苑", "公寓", "山庄", "新村", "华庭", "嘉园", "雅园", "名园",
		"花苑", "豪庭", "庄园", "公馆", "宿舍", "宿舍区", "安置区", "广场小区", "国际城", "花城", "世家", "水岸", "府邸",
		"名城", "世纪城", "半岛", "名家", "御府", "华府", "雅郡", "名邸", "一号院", "壹号院", "星城"},
	KindVillage:   {"村", "组", "村民小组"},
	KindCommunity: {"社区", "居委会"},
	KindStreet:    {"街道", "街道办", "街道办事处", "办事处"},
	KindTownship:  {"镇", "乡"},
	KindRoad: {"路", "街", "大道", "巷", "大街", "步行街", "国道", "省道", "县道", "高速", "高速公路",
		"一环", "二环", "三环", "四环"},
	KindSchool: {"学校", "小学", "中学", "学院", "大学", "幼儿园", "职校", "技校", "附中", "附小", "中专",
		"一中", "二中", "三中", "四中", "五中", "六中", "七中", "八中", "九中", "十中"},
	KindHospital: {"医院", "卫生院", "妇幼保健院"},
	KindCompany: {"公司", "有限公司", "有限责任公司", "股份有限公司", "分公司", "厂", "集团", "银行", "支行",
		"酒店", "宾馆", "网吧", "KTV", "采石场", "石矿", "煤矿", "冻库", "培训机构"},
	KindMarket:  {"市场", "商场", "广场", "超市", "商城"},
	KindProject: {"项目", "工程"},
	// government bodies and public facilities: the lexicon's only kind other
	KindOther: {"局", "派出所", "法院", "检察院", "看守所", "收费站", "汽车站", "火车站", "高铁站", "停车场",
		"公园", "大桥", "协会", "管理站", "管理所"},
}

// minLeft is, for the suffixes that differ, the fewest characters a name has before its
// suffix (2 for the others): B市二中 has none, 北二环 one.
var minLeft = map[string]int{
	"一中": 0, "二中": 0, "三中": 0, "四中": 0, "五中": 0, "六中": 0, "七中": 0, "八中": 0, "九中": 0, "十中": 0,
	"一环": 1, "二环": 1, "三环": 1, "四环": 1,
}

// numbered are the suffixes whose name may be a number (106国道, 3组).
var numbered = map[string]bool{"国道": true, "省道": true, "县道": true, "组": true}

// notAfter lists, for a suffix, the characters that, written right after it, show it is not
// a suffix there but the start of another word (村民, 路灯, 大学生 …).
var notAfter = map[string]string{
	"村":  "民庄级落长",
	"局":  "长面势部限",
	"组":  "织成建长合员件图委",
	"路":  "桥线费况径由人过灯子演数条段铺",
	"街":  "道坊头",
	"乡":  "镇村亲下音长",
	"镇":  "压定静长",
	"厂":  "家长商",
	"小学": "生",
	"中学": "生",
	"大学": "生",
	"学院": "生",
	"市场": "化价监经部主",
	"工程": "师车款量兵",
	"项目": "部经",
	"广场": "舞",
	"宿舍": "楼",
}

// commonWords are words made of a suffix and the character before it that name no place:
// the candidate is dropped when the character before a one-character suffix makes one of
// them (农村 道路 城镇 …).
var commonWords = strings.Fields(`
农村 乡村 山村 全村 本村 我村 该村 此村 邻村 外村 进村 回村 入村 出村 各村 每村 整村 新村 他村 村村
道路 马路 公路 线路 出路 走路 一路 沿路 网路 电路 水路 铁路 思路 进路 套路 修路 筑路 上路 下路 让路
带路 半路 前路 后路 退路 问路 找路 开路 堵路 挡路 占路 小路 大路 老路 新路 此路 该路 这路 那路 岔路 近路 远路 弯路 土路 各路 过路 断路 拦路 此路 支路 干路 环路
城镇 乡镇 集镇 全镇 本镇 该镇 我镇 进镇 小镇 各镇 此镇 村镇 市镇
城乡 家乡 老乡 下乡 回乡 返乡 故乡 异乡 全乡 本乡 该乡 我乡 同乡 外乡 各乡 此乡 乡乡
上街 逛街 临街 沿街 满街 当街 整街 这街 那街 过街 出街 老街 小街 一街 背街 本街 该街
小组 班组 专家组 工作组 调查组 督查组 巡视组 检查组 联合组 机组 编组 分组 一组 这组 该组 本组 各组 全组 机组 改组 重组 成组 剧组
本厂 该厂 全厂 建厂 进厂 出厂 回厂 原厂 药厂 各厂 此厂 这厂 那厂 办厂 设厂 我厂 老厂 小厂 大厂 新厂 厂厂
当局 格局 布局 结局 大局 全局 开局 出局 僵局 骗局 赌局 饭局 该局 本局 我局 此局 各局 分局 总局 支局 辅路 交汇路
小巷 街巷 深巷 大巷 熟路 主路 米路 交叉路 叉路 十字路 直路 管路 短路 虑路 之路
一条街 夜宵街 美食街 商业街 自然村 贫困村 行政村 村组 各组 每组 十字街
`)

// stopWords end the walk to the left of a suffix. They are function words, pronouns,
// determiners, verbs of petitioning, moving and living, time words and role nouns: what is
// written before a name in a message, never inside one.
var stopWords = strings.Fields(`
的 了 是 在 本 把 被 从 到 对 与 及 于 给 让 但 而 也 就 还 又 并 我 你 他 她 它 该 此 请 已 很 说 称 叫 往 若 即 要 想 使 令 帮 做 搞 吗 呢 吧 啊 呀 哦 嘛 这 那 其 每 等 或 跟 年 们 些 着 凡 虽 按 据 么 啥 哪 谁 且 可 乃 均 皆 仍 才 则 却 竟 较 咱 您 俺 某 何
我们 你们 他们 她们 咱们 大家 关于 反映 反应 投诉 举报 住在 位于 居住 入住 购买 买了 咨询 请问 希望 要求
请求 建议 恳请 恳求 强烈 附近 旁边 对面 门口 周边 地处 处于 属于 就是 还是 以及 或者 现在 目前 今年 去年
明年 已经 一直 没有 不是 这个 那个 这里 那里 所在 作为 包括 其中 经过 通过 沿着 前往 来到 回到 进入 离开
距离 靠近 紧邻 毗邻 临近 隔壁 业主 小孩 孩子 老人 群众 家属 部门 关注 解决 处理 调查 查处 收房 交房 竣工 开工
就读 读书 上学 毕业 报名 入学 招生 收费 乱收费 缴纳 缴费 支付 拖欠 欠薪 维权 遇到 发现 发生 出现 存在 看到
听说 得知 知道 认为 觉得 表示 感到 成为 变成 导致 造成 影响 严重 非常 特别 十分 一些 有些 这些 那些 这样
那样 如此 者 家长 妈妈 爸爸 儿子 女儿 老婆 老公 父母 父亲 母亲 护士 孩子们 现代化 南侧 北侧 东侧 西侧 一侧 两侧
南面 北面 东面 西面 东边 西边 南边 北边 一带 沿线 交界 交叉口 提升 优化 认定 选聘 包含 抵押 化解 见证 欺骗 打破 列出
重视 看看 完工 完成 完善 难怪 谨呈 侵害 宣传 饱受 优先 招录 竞选 扫街 得起 另 懂 开行 运行 通行 第三方 感觉 曝光 有偿 最大 表态 反观 开采 露天 批复 点半 举行 尽端 尽头 商品房 廉租房 公租房 住房 楼房 自建房 门面房 和谐 不满 满足 致敬 敬礼 理解 考入 考上 激化 挖毁 驱逐 骗取 选举 腐败 涉黑 富裕 承揽 责承 述 一段 一趟 一番
一块 一小段 一摊 一片 一排 一栋 一幢 一种 一批 普通 大型 小型 各位 尊敬 您好 你好 市长 书记 局长 主任 同志 先生 女士 网友 本人 违规 督促 公开 代表 选择
封闭 加强 加快 私自 合理 难道 招标 组织 开放 办成 一步 可以 保证 大部分 部分 积极 建立 缓解 委托 恢复 打电话
移交 利用 既然 擅自 启动 涉嫌 举办 继续 自己 扰乱 维护 加大 担任 尽快 非法 随意 依法 提高 规范 投标 再加
关闭 开办 销售 问题 周围 途径 强制 考虑 直接 坚决 集约 唯独 增加 开通 计算 接受 一旦 纳入 强行 配套 普惠 普惠性
难以 无法 不能 不得 可能 应该 必须 需要 是否 能否 为何 为什么 怎么 如何 怎样 什么 哪个 哪里 多少 以后 以前 之后
之前 以来 期间 时候 当时 同时 然后 而且 并且 但是 可是 因为 所以 由于 如果 虽然 即使 尽管 只要 只有 除了 除非
对于 根据 按照 依照 为了 以便 特此 敬请 麻烦 谢谢 感谢 首先 其次 最后 另外 此外 同样 一样 一起 一定 一般
一次 一下 一点 全部 正在 曾经 马上 立即 及时 尽早 早日 终于 竟然 居然 突然 仍然 依然 还有 还要 就要 都是 只是
正是 也是 不会 不要 不准 禁止 严禁 允许 同意 批准 审批 申请 申报 上报 报告 控告 起诉 上访 来信 回复 答复
答应 承诺 确保 防止 避免 协调 沟通 联系 询问 了解 核实 查明 处罚 追究 清理 拆除 拆掉 改变 改成 改为 转为 隶属
坐落 地址 住址 所在地 户籍 户口 上班 就医 看病 住院 购房 买房 租房 承租 搬到 搬进 到达 路过 穿过 途经 绕过
驶入 驶出 开往 开到 开进 开出 直达 开车 骑车 步行 乘坐 乘车 坐车 等车 下车 上车 张贴 隐瞒 侵犯 质疑 引起 损害
破坏 污染 占用 占据 侵占 霸占 挪用 冻结 显示 表明 证明 说明 声称 宣称 称为 号称 叫做 名为 名叫 取名 更名 改名
别名 原名 简称 俗称 开立 建好 改建 扩建 兴建 筹建 拟建 在建 递交 采用 集中 呼吁 确定 赶赴 奔赴 轰动 打响 贿选
深爱 用来 消灭 联名 拒绝 面向 开具 无论 不管 不论 只能 只好 只得 还得 得到 受到 遭到 收到 拿到 找到 听到
想到 碰到 做到 达到 享受 分配 安排 分到 划入 划归 归属 调整 变更 规定 明确 落实 执行 实施 推进 推动 实行 进行
开展 参加 参与 出席 投入 方面 下面 上面 里面 外面 前面 后面 面临 面对 全面 现任 原来 原本 本来 以为 比如 例如
譬如 特别是 尤其 尤其是 主要 重要 重新 再次 多次 几次 每次 每天 每年 每月 天天 经常 常常 总是 一再 反复 多年
几年 近年 近日 近期 最近 日前 今天 昨天 明天 晚上 早上 白天 凌晨 中午 下午 上午 半夜 深夜 周末 平时 平日
期待 盼望 渴望 期盼 担心 害怕 担忧 怀疑 相信 确认 承认 否认 抗议 反对 支持 配合 协助 帮助 帮忙 提供 提出
提交 递交 上交 交给 交由 委托 授权 责成 责令 勒令 命令 通知 告知 告诉 回应 答应 谈判 协商 商量 讨论 研究
开会 会议 决定 决策 制定 出台 颁布 公布 公示 宣布 发布 发出 出具 进驻 入驻 驻扎 落户 迁入 迁出 迁往 迁到
去往 通往 连接 衔接 连通 贯通 打通 接通 断开 隔断 阻断 中断 堵塞 拥堵 堵住 挡住 围住 围挡 占道 侵占 旁的
年春 年夏 年秋 年冬 年初 年底 年末 是个 有个 省城 经行 边的 里的 上的 中的 内的 外的 下的 前的 后的 一条 一个 一家 一所 一座 一栋 一片 一处 整个 所有 各个 每个 多个
几个 两个 三个 几家 多家 两家 大量 大批 大片 许多 很多 不少 好多 诸多 众多 各种 各类 各项 种种 一切
`)

// softStops are stop words that may also be written inside a name. A word (建设, 管理: …建设有限公司)
// ends the walk once the name has two characters. A single character (和 向 同 全 去 回 …) ends
// it unless the name has exactly one character so far: 和平路, 向阳村 and 同心社区 keep theirs,
// while 去医院 and 和小区 name nothing.
var softStops = strings.Fields(`
规划 信访 监督 管理 建设 开发 修建 施工 改造 拆迁 安置 经营 服务 工作 治理 整治 监管 承建 征收 搬迁 新建 建成
出租 承包 转让 开设 开办 设立 成立 注册 办理 教育 发展 投资 相关 有关 领导 职工 学生 居民 村民 市民 政府 就业
以上 以下 以内 以外 之间 之内 之外 当中 中间 附属 下属 所属 旗下 名下 门前 门外 楼下 楼上 对门 脚下 地下 地上
和 向 同 全 为 会 来 有 无 经 由 各 将 住 买 去 至 近 出 进 过 比 如 因 之 以 所 个 多 少 几 时 都 太 未 月 日
能 应 需 次 不 没 原 现 再 仅 够 否 既 找 离 绕 接 回 入 照 靠 临 沿 走 拐 转 建 修 盖 挂 改 搬 送 派 归 赴 抵 占 拆
封 堵 挖 设 办 读 看 问 查 管 卖 租 交 缴 收 罚 扣 骗 欠 告 诉 系 属 正 刚 便 最 更 挺 好 面 叫 跑 留 停 排 填 扩 穿 跨
闹 吵 拿 用 让 加 增 给 当 条 项 级 种 类 套 批 件 份 辆
`)

// locatives are single characters that end a name as often as they follow one (塘下组, 庆和里路,
// 坡上村 / 路上, 楼下): they end the walk only once the name has two characters.
var locatives = strings.Fields(`上 下 中 后 前 里 内 外 边 间 处 旁 局 头`)

// keepWords are words of names that begin with a stop word's character: the walk goes on
// through them.
var keepWords = strings.Fields(`向家 和家 同仁 现代 时代 和平 和顺 和美 同心 同升 向阳 向东 未来 太平 太阳 都市 都正 项目 管理 建设 开发 连心
全福 全民 来福 有色 无线 经济 经开 由义 各界 将军 住宅 买卖 至诚 近郊 出版 进出 过江 比亚 如意 因特 之江 以色 所有 多福
少年 几何 连城 时尚 日月 月亮 月湖 能源 应用 次元 原野 原生 再生 仅有 接驾 回龙 入口 照相 靠山 临江 临湘 沿江 沿河 走马
转盘 建湘 建新 修业 盖州 改革 送变 派出 归义 达美 占地 设计 办公 读书 看守 问天 查询 管网 租赁 交通 交警 收费 罚没 扣件
告别 诉讼 系统 属地 正荣 刚玉 便民 最美 更新 挺进 好又 面粉 叫卖 跑马 留学 停车 排水 填埋 扩建 穿紫 跨境 闹市 拿铁
用品 让家 加油 增城 给排 当代 条形 项链 级配 种子 类型 套装 批发 件数 份额 辆次 上海 下沙 中南 中心 后湖 前进 里仁
内环 外环 外国 外滩 边城 间隔 处理 旁边 局部 头条 建筑 建材 建工 名都 都会 都城 棚改 化工 还建 `)

// genericRoad are the generic names of roads: the kind of surface or traffic, not a name.
var genericRoad = strings.Fields(`水泥 沥青 柏油 泥巴 泥土 砂石 碎石 石子 公交 高速 快速 乡村 农村 村级 通村 通组 主干 次干
辅 支 小 大 马 公 道 铁 环 进出 出入 入户 入村 断头 断头路 盲 一级 二级 三级 等级 硬化 机耕 田间 生产 消防 应急
人行 步行 非机动车 机动车 城市 市政 主 次 这条 那条 一条 这段 那段 该 此 城区 市区 新修 新建 老 旧 烂 破`)

// institutional names are the names of schools and hospitals that every county has (人民医院,
// 第一中学): their Key holds the district written before them.
var institutional = strings.Fields(`人民 第一人民 第二人民 第三人民 第四人民 中心 中医 中西医结合 妇幼 儿童 第一 第二 第三
第四 第五 第六 第七 第八 第九 第十 城关 城南 城北 城东 城西 实验 民族 师范 职业 职业技术 第一中心 中心城区 县 市 区`)

// generic names: a candidate whose name without its suffix is one of these is dropped.
var genericLeft = strings.Fields(`
我们 你们 他们 这个 那个 这家 那家 这所 那所 这条 那条 一个 一家 一所 一条 两个 几个 多个 各个 每个
其他 其它 周边 附近 整个 所有 全部 老旧 新建 农村 城市 城镇 乡镇 本地 当地 外地 私立 公立 民办 公办
物业 开发 房产 房地产 建筑 施工 劳务 保安 保洁 装修 中介 家政 培训 教育 医疗 科技 网络 电力 自来水 燃气
供水 供电 燃气 担保 贷款 保险 快递 物流 出租车 公交 旅游 投资 农业 金融 小额 私人 个体 国有 民营
商品房 安置房 廉租房 公租房 经适房 保障房 高档 大型 小型 重点 示范 省级 市级 区级 县级 国家级 市属 区属
这里 那里 我家 你家 他家 楼下 楼上 对面 旁边 隔壁 门口 我所 学区 名校 正规 知名 有关 相关 上述 以上 下列
配套 普惠 普惠性 公交 公共 水泥 建设 改造 民生 人防 水利 市政 重点 维修 道路 绿化 亮化 硬化 提质 提质改造
自然 美丽 贫困 居民 住宅 安置 中心 综合 中医 农贸 商业 批发 农民 职工 教师 员工 机关 单位 集体 国营 国企 私企
中型 现代化 示范 标准化 全国 全省 全市 全区 全县 省 市 区 县 乡 村 镇 街道 社区 学校 医院 政府 部门 企业
开发商 城市 乡村 新农村 城乡 网约车 重大 大中 中小 中小学 小学 中学 大学 学院 幼儿园 公立学校 附属 下属 所属 旗下
省外 市外 县外 区外 国外 境外 外省 外市 外地 本省 本市 本区 本县 本镇 本村 工地 建筑工地 项目 工程 公司 集团 
合作 合资 独资 外资 股份 有限 责任 有限责任 上市 大中型 中小型 小微 个人 私营 合法 非法 违法 正规 黑心 无良
城中村 城郊 近郊 远郊 郊区 山区 老城 新城 老区 新区 旧城 棚户 棚户区 老旧小区 高档小区 新小区 老小区 大小区 小小区
房地产开发 建筑施工 劳务派遣 工程建设 建设工程 市政工程 水利工程 民生工程 人防工程 维修工程 改造工程 提质改造工程
代理 开锁 租车 评估 物业管理 经营 置业 城中 生态 高速 快速 沥青 红绿灯 公里 全体 承包 杜绝 实际 正常 开办 定点
专科 三甲 含税 获奖 主体 一期 二期 三期 四期 烂尾 形象 面子 豆腐渣 优质 便民 利民 惠民 民心 饮水 采购 修建 职业技术
职业 技术 实验 特殊教育 高中 初中 城区 全市性 培训 民营 个人独资 有限 控股 实业 贸易 商贸 
第三方 癌症 别墅 设施 经济适用房 经济适用 具体 固定 安置 交费 自愿 合格 国家 引资 烂尾
镇容 历史文化 国家历史文化 中小 建材 家园 建筑工程 装饰 装饰工程 装修工程 园林 机械 电器 食品 纺织 服装 化工 钢材
`)

// titles are words after which a person's name ends: a name is cut after the last of them
// (王书记丽发新城小区 → 丽发新城小区) and dropped when nothing remains (李经理公司).
var titles = strings.Fields(`
书记 经理 总经理 董事长 主任 老板 村长 镇长 乡长 局长 组长 老师 师傅 先生 女士 同志 支书 医生 校长 院长
区长 市长 县长 厂长 队长 所长 科长 处长 部长 主席 会长 律师 记者 警官 老总 某某 某
`)

// placeholders are characters that mask a name in anonymised text; a name made only of them
// (XX小区, ***公司) names nothing.
const placeholders = "XxＸ*＊×○〇□某"

const (
	fName      = 1 << iota // may be part of a name
	fSuffixEnd             // ends a suffix
	fStopEnd               // ends a stop word
	fNumeral               // a digit or Chinese numeral
)

type lexicon struct {
	flags   [0x10000]uint8
	suffix  map[rune][]suffixEntry // by last rune, longest first
	stop    map[rune][]stopEntry   // by last rune, longest first
	common  map[string]bool
	generic map[string]bool
	titles  [][]rune
	notAft  map[string]string
	sufWord map[string]Kind
	keep    map[[2]rune]bool

	genericRoad map[string]bool

	institutional map[string]bool
}

type stopEntry struct {
	rs    []rune
	class uint8 // hard, soft or locative
}

// The classes of stop words.
const (
	hard uint8 = iota
	soft
	locative
)

type suffixEntry struct {
	rs   []rune
	kind Kind
}

var lex = buildLexicon()

func idx(r rune) int {
	if r < 0 || r >= 0x10000 {
		return 0
	}
	return int(r)
}

func isHan(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF || r >= 0xF900 && r <= 0xFAFF
}

func buildLexicon() *lexicon {
	l := &lexicon{suffix: map[rune][]suffixEntry{}, stop: map[rune][]stopEntry{}, common: map[string]bool{},
		generic: map[string]bool{}, notAft: notAfter, sufWord: map[string]Kind{}}
	for r := rune(0); r < 0x10000; r++ {
		if isHan(r) || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '#' || r == '*' || r == '×' || r == '○' {
			l.flags[r] |= fName
		}
		if r >= '0' && r <= '9' || strings.ContainsRune("一二三四五六七八九十百零〇两", r) {
			l.flags[r] |= fNumeral
		}
	}
	for k, ss := range suffixes {
		for _, s := range ss {
			rs := []rune(s)
			last := rs[len(rs)-1]
			l.suffix[last] = append(l.suffix[last], suffixEntry{rs: rs, kind: k})
			l.flags[idx(last)] |= fSuffixEnd
			l.sufWord[s] = k
		}
	}
	for _, v := range l.suffix {
		sort.SliceStable(v, func(a, b int) bool { return len(v[a].rs) > len(v[b].rs) })
	}
	class := map[string]uint8{}
	for _, s := range softStops {
		class[s] = soft
	}
	for _, s := range locatives {
		class[s] = locative
	}
	for _, s := range slices.Concat(softStops, locatives, stopWords) {
		if l.seenStop(s) {
			continue
		}
		rs := []rune(s)
		last := rs[len(rs)-1]
		l.stop[last] = append(l.stop[last], stopEntry{rs: rs, class: class[s]})
		l.flags[idx(last)] |= fStopEnd
	}
	for _, v := range l.stop {
		sort.SliceStable(v, func(a, b int) bool { return len(v[a].rs) > len(v[b].rs) })
	}
	l.keep = map[[2]rune]bool{}
	for _, w := range keepWords {
		rs := []rune(w)
		l.keep[[2]rune{rs[0], rs[1]}] = true
	}
	l.genericRoad = map[string]bool{}
	for _, w := range genericRoad {
		l.genericRoad[w] = true
	}
	l.institutional = map[string]bool{}
	for _, w := range institutional {
		l.institutional[w] = true
	}
	for _, w := range commonWords {
		l.common[w] = true
	}
	for _, w := range genericLeft {
		l.generic[w] = true
	}
	for _, w := range titles {
		l.titles = append(l.titles, []rune(w))
	}
	sort.SliceStable(l.titles, func(a, b int) bool { return len(l.titles[a]) > len(l.titles[b]) })
	return l
}

// suffixAt returns the length of the longest suffix ending at rune j of rs and its kind; 0 when
// none ends there (or the one that does is followed by a character that shows it is not one).
func (l *lexicon) suffixAt(rs []rune, j int) (int, Kind) {
	for _, s := range l.suffix[rs[j-1]] {
		n := len(s.rs)
		if n > j || !equal(rs[j-n:j], s.rs) {
			continue
		}
		if j < len(rs) {
			if na, ok := l.notAft[string(s.rs)]; ok && strings.ContainsRune(na, rs[j]) {
				return 0, ""
			}
		}
		// a one-character suffix written twice (村村民, 路路灯) is the second's, not a suffix
		if n == 1 && j >= 2 && rs[j-2] == rs[j-1] {
			return 0, ""
		}
		return n, s.kind
	}
	return 0, ""
}

// stopAt returns the length of the longest stop word ending at rune i of rs (occupying
// [i-n, i)) and its class; 0 when none.
func (l *lexicon) stopAt(rs []rune, i int) (int, uint8) {
	for _, s := range l.stop[rs[i-1]] {
		n := len(s.rs)
		if n > i || !equal(rs[i-n:i], s.rs) {
			continue
		}
		return n, s.class
	}
	return 0, hard
}

func (l *lexicon) seenStop(w string) bool {
	rs := []rune(w)
	for _, s := range l.stop[rs[len(rs)-1]] {
		if equal(s.rs, rs) {
			return true
		}
	}
	return false
}

func equal(a, b []rune) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// IsKindWord reports whether w is a suffix of the lexicon alone (小区, 公司, 医院): a kind of
// place rather than a place, and no topic of what is said about one.
func IsKindWord(w string) bool {
	rs := []rune(w)
	if len(rs) == 0 {
		return false
	}
	n, _ := lex.suffixAt(rs, len(rs))
	return n == len(rs)
}
