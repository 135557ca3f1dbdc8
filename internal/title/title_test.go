package title

import (
	"path/filepath"
	"regexp"

	"github.com/xuri/excelize/v2"

	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/internal/realdata"

	"github.com/earlywarn/earlywarn/internal/idnum"
)

func TestGist(t *testing.T) {
	for _, c := range []struct{ content, want string }{
		{"", ""},
		// self-introduction, how long and whom they asked are left out; the gist is the first
		// substantive clause, with the next when both fit.
		{"来电人系洪山镇马岭村村民，这件事从2013年拖到现在，判决书中的土地界址描述与实际不符，导致无法执行。盼复。", "判决书中的土地界址描述与实际不符"},
		{"我是金山镇青龙村的村民，前后拖了11年，孩子今年2岁，按户籍应就近入学，却被分配到10公里外的学校。", "按户籍应就近入学，却被分配到10公里外的学校"}, // an age is a particular, a child's too
		{"本人叫王小明，家住城关镇，工资被拖欠8个月。", "工资被拖欠8个月"},
		// a clause holding a masked number is never shown
		{"联系电话" + idnum.MarkPhone + "，小区电梯停运三个月", "小区电梯停运三个月"},
		// a writer's name and particulars are no gist, nor who reports (the report verb's subject)
		{"王小明，男，1975年生，住城关镇前进村3组，联系电话" + idnum.MarkPhone + "。反映村里土地补偿款未发放", "村里土地补偿款未发放"},
		{"张三反映其工资长期拖欠", "工资长期拖欠"},
		{"张三，身份证" + idnum.MarkIDNumber + "，电话" + idnum.MarkPhone + "，反映：工资长期拖欠", "工资长期拖欠"},
		{"李四 " + idnum.MarkPhone + " 反映小区物业乱收费", "小区物业乱收费"},
		{"李强，汉族，1967年5月出生，现住阳光花园，投诉小区噪音扰民", "小区噪音扰民"},
		{"zhang.san@example.com，小区路灯不亮", "小区路灯不亮"},
		{"来电人反映小区门口污水横流", "小区门口污水横流"},
		{"多名村民反映村道损坏", "多名村民反映村道损坏"},
		// (a new user's texts) a form's fields, particulars between spaces or in brackets,
		// 本人 and a name, an age before the name, names with a count, who writes by role
		{"姓名：李大山 性别：男 年龄：58 住址：城关镇前进村7组 诉求：要求补发退伍军人优抚金", "要求补发退伍军人优抚金"},
		{"孙二娘 女 汉族 初中文化 务农 现住东城街道幸福小区5栋 反映物业强行停水", "物业强行停水"},
		{"司马光明（男，1980年3月生，身份证" + idnum.MarkIDNumber + "）反映拆迁安置房迟迟不交付", "拆迁安置房迟迟不交付"},
		{"本人刘建国，身份证号" + idnum.MarkIDNumber + "，QQ号123456789，反映宅基地被邻居侵占", "宅基地被邻居侵占"},
		{"现年45岁的王桂兰反映其承包地被村委会收回", "承包地被村委会收回"},
		{"刘某某（女，60岁，前进村人）反映老伴医保报销被拒", "老伴医保报销被拒"},
		{"张三、李四等5人反映小区供暖不达标", "小区供暖不达标"},
		{"陈静 女 52岁 家住城关镇 反映低保被取消", "低保被取消"},
		{"黄丽 微信号abc123 反映县医院乱收费", "县医院乱收费"},
		{"反映人张三称小区垃圾无人清运", "小区垃圾无人清运"},
		{"来信人王五（" + idnum.MarkIDNumber + "）反映村道多年未修", "村道多年未修"},
		{"zhang.san@example.com 小区路灯不亮", "小区路灯不亮"},
		{"我叫朱琼会，女，33岁，系H市H3县零阳镇人，已婚，肢残三级（有证），村里低保名额被顶替", "村里低保名额被顶替"},
		{"本人刘海利，男，中共党员，现为A市某大酒店员工，工资被拖欠半年", "工资被拖欠半年"},
		// (a third new user's texts) occupations and education after the particulars, relatives,
		// 据…反映, 本人 and a name before a masked number, fields between spaces
		{"王建国，男，汉族，1968年3月12日出生，初中文化，农民，住洪山镇马岭村五组。反映村委会私自出租集体林地，租金去向不明，请求查处。", "村委会私自出租集体林地"},
		{"我父亲张某某，今年78岁，中共党员，原县供销社职工，2019年在县人民医院做手术时被误诊，导致右腿截肢，医院至今拒绝赔偿。", "2019年在县人民医院做手术时被误诊"},
		{"据群众李某反映，桃源镇石桥村村主任在危房改造中收取好处费，每户索要2000元。", "桃源镇石桥村村主任在危房改造中收取好处费"},
		{"本人陈晓燕，身份证号码：" + idnum.MarkIDNumber + "，QQ：286543219，邮箱chenxy85@163.com，离异，无业。前夫拒不支付孩子抚养费，法院判决后一直不执行。", "前夫拒不支付孩子抚养费"},
		{"孙志强 男 1980年7月出生 大专学历 已婚 个体工商户 户籍所在地：东城街道向阳社区 现住县城建设路88号 我在东城街道开的餐馆被城管无故查封，要求解封并赔偿损失。", "我在东城街道开的餐馆被城管无故查封"},
		{"我儿子林浩（男，17岁，县第一中学高二学生）在学校被同学殴打致脾脏破裂，学校推卸责任，要求学校承担医疗费用。", "我儿子在学校被同学殴打致脾脏破裂"},
		{"联系方式：微信号 liujun_1990，邮箱 liujun1990@qq.com。刘军，男，35岁，外卖员。平台公司克扣骑手工资且不缴纳社保。", "平台公司克扣骑手工资且不缴纳社保"},
		{"据来信人高某某（女，52岁，下岗职工）反映，其所在的县纺织厂家属院供暖长期不达标，冬季室温不足十度。", "其所在的县纺织厂家属院供暖长期不达标"},
		{"大家好，我叫苏波，男，38岁，西地省G市临G5县新安镇文昌社区人，身份证号码" + idnum.MarkIDNumber + "，小区旁工地夜间施工扰民", "小区旁工地夜间施工扰民"},
		// (a fourth new user's texts)
		{"我是杨春花的女儿，我母亲今年76岁，患有二级肢体残疾，住在金山镇青龙村五组，去年申请的残疾人两项补贴至今没有发放。", "去年申请的残疾人两项补贴至今没有发放"},
		{"金竹村党支部书记吴国平反映：本村2024年7月洪灾冲毁的村组道路和灌溉渠道，申报的水毁修复资金至今未下达。", "本村2024年7月洪灾冲毁的村组道路和灌溉渠道"},
		{"来访人马志强，男，回族，45岁，个体户，住城关镇东门路88号，称其在城关镇农贸市场租赁的摊位被市场管理方无故收回。", "在城关镇农贸市场租赁的摊位被市场管理方无故收回"},
		{"我是一名有三十年党龄的老党员，名叫何德胜，今年72岁，退休前是乡农技站站长。镇政府在我家后山违规批准开采石场。", "镇政府在我家后山违规批准开采石场"},
		{"反映人冯小梅，女，34岁，已婚，现与丈夫分居，户籍在河口镇沙湾村。村里分配征地补偿款时以我是出嫁女为由不给我分配。", "村里分配征地补偿款时以我是出嫁女为由不给我分配"},
		{"户籍所在地：三里铺镇曹家湾村三组；身份证：" + idnum.MarkIDNumber + "；姓名：曹永福。我家宅基地被邻居曹某强占修建围墙。", "我家宅基地被邻居曹某强占修建围墙"},
		{"我老伴叫曾繁荣，今年八十岁，是抗美援朝老兵，住城关镇东门社区。民政部门说他的优抚补助要重新审核，已经停发半年了。", "民政部门说他的优抚补助要重新审核"},
		{"领导您好！我是石桥镇石桥村村民袁春生，今年63岁，有残疾证（肢体四级）。2019年危房改造时补助款被村干部扣去八千。", "2019年危房改造时补助款被村干部扣去八千"},
		{"我叫刘桂兰（女，58岁，汉族，小学文化，务农），家住桃源镇石桥村四组。2023年村里修建乡村公路占用我家承包地1.2亩，至今未给任何补偿。", "2023年村里修建乡村公路占用我家承包地1.2亩"},
		{"本律师受委托人周玉芬（女，1970年3月生，住平安乡李庄村）委托，就其丈夫在县第二建筑公司工地坠落身亡一案反映：工伤认定申请已递交八个月。", "工伤认定申请已递交八个月"},
		{"我是聋哑人，由妹妹代写此信。我叫韩志刚，听力言语一级残疾，微信同手机号" + idnum.MarkPhone + "。镇里把我家的低保取消了。", "镇里把我家的低保取消了"},
		{"我们8名工人（带头人：蒋大海，电话" + idnum.MarkPhone + "）在县城南安置小区项目做木工，包工头欠下工资共计21万元。", "我们8名工人在县城南安置小区项目做木工"},
		{"事情是这样的，去年三月镇政府在马岭村修建垃圾中转站，选址离我家不到五十米。我叫田秀珍，女，六十一岁。", "去年三月镇政府在马岭村修建垃圾中转站"},
		// (a fifth new user's texts)
		{"本人欧阳明，QQ号853216470，退役军人，残疾等级四级，安置待遇一直未落实，要求落实退役士兵安置政策。", "安置待遇一直未落实，要求落实退役士兵安置政策"},
		{"我户口在石桥镇三岔村，农业户口，父亲已去世，村里拒绝为我家办理宅基地继承登记。", "村里拒绝为我家办理宅基地继承登记"},
		{"反映人韩雪梅，女，回族，大专学历，中共预备党员，县医院护士。医院克扣夜班补贴，三年共计约两万元。", "医院克扣夜班补贴，三年共计约两万元"},
		{"您好！我是一名乡村教师，叫苏晓燕，女，33岁，未婚，本科学历，在偏远教学点任教8年，乡村教师生活补助被乡中心校截留。", "乡村教师生活补助被乡中心校截留"},
		{"微信号：wxid_lh2024。我反映的是小区门口菜市场占道经营，噪音扰民，多次拨打12345无果。", "小区门口菜市场占道经营"},
		{"反映人卢志伟，1980年7月8日出生，持有残疾人证（视力一级），申请的公益性岗位被他人冒名顶替。", "申请的公益性岗位被他人冒名顶替"},
		{"【来电记录】来电人：石桂花，女，农民，住北山乡石门村。来电反映：邻居建房占用公共道路，村里不管。", "邻居建房占用公共道路，村里不管"},
		{"如需核实可发邮件至parentgroup2025@163.com联系我，我是初二学生家长罗志平。学校强制学生购买指定教辅资料，每生收费380元。", "学校强制学生购买指定教辅资料"},
		// (a sixth new user's texts, and the real message board's) a name after the word for who
		// the person is goes, the word stays; a surname and what makes a word with it stay
		{"这次由我石桂英代表全村32户村民反映土地征收补偿款未发放的问题", "这次由我代表全村32户村民反映土地征收补偿款未发…"},
		{"关于小区物业乱收费问题，本人罗福田，请求相关部门调查处理", "关于小区物业乱收费问题"},
		{"我的邻居王建国在楼道私搭乱建，多次反映无人处理", "我的邻居在楼道私搭乱建"},
		{"我父亲刘德华在工地摔伤，包工头拒绝赔偿医药费", "我父亲在工地摔伤，包工头拒绝赔偿医药费"},
		{"村支书王大明私自出租集体林地，租金去向不明", "村支书私自出租集体林地"},
		{"我们村的会计李小红挪用扶贫资金", "我们村的会计挪用扶贫资金"},
		{"我丈夫赵强在外打工被拖欠工资三万元", "我丈夫在外打工被拖欠工资三万元"},
		{"包工头张三欠我工资八千元", "包工头欠我工资八千元"},
		{"班主任唐老师体罚学生", "班主任老师体罚学生"},
		{"E10县水庙镇政协联工委主任罗生武作为计生干部", "E10县水庙镇政协联工委主任作为计生干部"},
		{"申请人：阿依古丽·买买提（女，维吾尔族）反映拆迁安置房迟迟未交付", "拆迁安置房迟迟未交付"},
		{"wxid_zw88 张伟 小区门口垃圾堆放半个月没人清理", "小区门口垃圾堆放半个月没人清理"},
		{"户籍在本县城关镇，现为出租车司机，反映出租车份子钱过高", "出租车份子钱过高"},
		{"村长马上带人把路堵了", "村长马上带人把路堵了"},
		{"我儿子高中毕业后被骗去传销", "我儿子高中毕业后被骗去传销"},
		{"排除是我方设备故障后，宽带仍然无法使用", "排除是我方设备故障后，宽带仍然无法使用"},
		{"A7县长龙街道托塘组至今没有通自来水", "A7县长龙街道托塘组至今没有通自来水"},
		{"豫商•五牛城项目烂尾三年", "豫商•五牛城项目烂尾三年"},
		// (a seventh new user's texts) more words for who a person is, names listed, a name
		// opening a clause before what the person did, a clerk's note's heading, date and who came
		{"我父亲陈茂林（78岁）于今年6月在县人民医院做白内障手术后右眼失明", "我父亲于今年6月在县人民医院做白内障手术后右眼…"},
		{"阿依古丽·买买提反映，她丈夫艾力·吐尔逊2024年在县城一家超市打工，被老板克扣三个月工资", "她丈夫2024年在县城一家超市打工"},
		{"王芳说她家低保去年被取消了，村里没有任何通知", "她家低保去年被取消了，村里没有任何通知"},
		{"潘金花借给同村人蔡国强8万元，有借条，蔡国强现在不仅不还", "借给同村人8万元，有借条"},
		{"姓名：刘玉兰 性别：女 事由：丈夫因交通事故去世，肇事者郑大海至今未赔偿", "丈夫因交通事故去世，肇事者至今未赔偿"},
		{"县自然资源局工作人员何志强在办理宅基地审批时索要好处费", "县自然资源局工作人员在办理宅基地审批时索要好处费"},
		{"我和同村的马国庆、巴特尔三户人家的承包地被镇里修路占用", "我和同村的三户人家的承包地被镇里修路占用"},
		{"来电记录：2025年11月3日上午，来电人李秀英（女，62岁，联系电话" + idnum.MarkPhone + "）反映其儿子张伟在外地务工期间因工受伤", "儿子在外地务工期间因工受伤"},
		{"来访登记：2025年9月12日，柳林村村民吴秀兰等5人来访，反映村里垃圾填埋场离居民区不足300米。经办人：韩磊", "村里垃圾填埋场离居民区不足300米"},
		{"网上信访：反映人称其在县人社局办理失业保险金申领时被告知材料不全。（记录人：戴晓燕）", "其在县人社局办理失业保险金申领时被告知材料不全"},
		{"联系人：许文静，手机 " + idnum.MarkPhone + "。反映：新华街道幸福里小区北门外的夜市烧烤摊油烟直排", "新华街道幸福里小区北门外的夜市烧烤摊油烟直排"},
		{"县长您好！我是退伍军人谭建军，1995年入伍，2001年退伍回乡，至今未享受到退役军人优待政策", "至今未享受到退役军人优待政策"},
		{"各位网友，你们好，我们小区的物业管理公司无端涨物业管理费", "我们小区的物业管理公司无端涨物业管理费"},
		{"红星社区老旧小区改造中，施工单位将原有绿地改建为停车场", "红星社区老旧小区改造中，施工单位将原有绿地改建…"},
		{"请严查县际天传媒公司及其领导", "请严查县际天传媒公司及其领导"},
		// (an eighth new user's texts)
		{"包工头陈二狗（真名陈志刚）从去年8月起拖欠我们工资共计38万元", "包工头从去年8月起拖欠我们工资共计38万元"},
		{"儿子司马伟三年没有给过赡养费，也不来看望", "儿子三年没有给过赡养费"},
		{"去年12月，林涛借了我8万元说是做生意周转", "去年12月，借了我8万元说是做生意周转"},
		{"来访人蒋玉梅、蒋玉兰姐妹二人反映：其父蒋德全生前所有的两间门面被强占出租", "其父生前所有的两间门面被强占出租"},
		{"王德贵当了十几年村支书，村里的账从来没有公开过", "当了十几年村支书，村里的账从来没有公开过"},
		{"向阳社区老旧小区改造工程拖了两年还没完工，常年积水", "向阳社区老旧小区改造工程拖了两年还没完工"},
		{"兴汝金城（别名金城和苑）二期的备案价格", "兴汝金城（别名金城和苑）二期的备案价格"},
		// a subject line too
		{"举报村主任刘大勇贪污低保金\n尊敬的领导：……", "举报村主任贪污低保金"},
		// a bracket that says nothing of the writer stays
		{"县医院（新院区）停车收费过高", "县医院（新院区）停车收费过高"},
		// a short clause that is not a name stays
		{"噪音扰民，恳请解决", "噪音扰民"},
		// an English gist may run to twice as many characters
		{"Branch or Limb Has Fallen Down", "Branch or Limb Has Fallen Down"},
		// a message board's subject line
		{"阳光花园小区电梯长期停运\n尊敬的领导：我们小区的电梯已经停了三个月……", "阳光花园小区电梯长期停运"},
		// one long clause: cut at a 、 that keeps half, else with …
		{"县住房和城乡建设局承诺的配套幼儿园和停车场一直没有兑现", "县住房和城乡建设局承诺的配套幼儿园和停车场一直…"},
		{"8名工人反映某某建筑工程有限公司拖欠工资共计35万元。", "8名工人反映某某建筑工程有限公司拖欠工资共计…"},
		{"道路、路灯、排水、绿化、停车场、幼儿园、菜市场、公交站都没有建设", "道路、路灯、排水、绿化、停车场、幼儿园、菜市场…"},
		// nothing but boilerplate
		{"尊敬的领导：您好，恳请领导重视。谢谢！", ""},
		// a clause saying when or why goes on into the next, cut with … when that is long
		{"校车线路取消后，孩子们每天要步行五公里山路去镇上的学校上学", "校车线路取消后，孩子们每天要步行五公里山路去镇…"},
		{"由于道路施工，公交站撤了", "由于道路施工，公交站撤了"},
		{"校车线路取消后，孩子们没法上学", "校车线路取消后，孩子们没法上学"},
		// a clause that goes on from a left-out one does not open the gist
		{"有关部门调查后说情况属实，但一直没有落实，补偿款至今未发放", "补偿款至今未发放"},
	} {
		got := Gist(c.content)
		if got != c.want {
			t.Errorf("Gist(%q) = %q, want %q", c.content, got, c.want)
		}
		if w := width(got); w > 2*MaxGist {
			t.Errorf("Gist(%q) is %d half characters wide, more than %d characters", c.content, w, MaxGist)
		}
	}
}

func TestOf(t *testing.T) {
	for _, c := range []struct {
		f    Facts
		want string
	}{
		{Facts{}, ""},
		{Facts{Township: "城关镇", Village: "前进村", Category: "教育", Target: "县教育局", Content: "工资长期低于同岗位在编教师。"},
			"城关镇前进村 · 教育 · 县教育局：工资长期低于同岗位在编教师"},
		// a place the text names stands for the village, with the township before it unless it holds it
		{Facts{Township: "城关镇", Village: "前进村", Place: "阳光花园小区", Category: "城乡建设"}, "城关镇阳光花园小区 · 城乡建设"},
		{Facts{Township: "城关镇", Place: "城关镇第二小学", Category: "教育"}, "城关镇第二小学 · 教育"},
		{Facts{Content: "楼下商铺违法加建24平方米"}, "楼下商铺违法加建24平方米"},
		{Facts{Township: " 金山镇 ", Category: "社会保障"}, "金山镇 · 社会保障"},
		// a value that says it is not known (a profile's default) is no part of the title
		{Facts{Township: "未注明区县", Place: "龙隆花园", Category: "未分类", Content: "咨询龙隆花园排水系统问题"}, "龙隆花园：咨询龙隆花园排水系统问题"},
		{Facts{Township: "未央区", Place: "龙隆花园", Category: "其他"}, "未央区龙隆花园"},
		{Facts{Township: "Unspecified", Category: "Noise - Street/Sidewalk", Content: "Loud Music/Party"}, "Noise - Street/Sidewalk：Loud Music/Party"},
		// Latin names written together get a space; Chinese ones do not
		{Facts{Township: "BROOKLYN", Village: "742 MONTGOMERY STREET", Category: "Abandoned Vehicle"}, "BROOKLYN 742 MONTGOMERY STREET · Abandoned Vehicle"},
		{Facts{Township: "波士顿", Village: "2–12 Camelot Ct", Category: "Other"}, "波士顿 2–12 Camelot Ct · Other"},
		{Facts{Township: "城关镇", Village: "3组", Category: "教育"}, "城关镇3组 · 教育"},
		{Facts{Township: "城关镇", Village: "3号楼"}, "城关镇3号楼"},
		{Facts{Township: "MANHATTAN", Village: "237 EAST   88 STREET", Category: "Noise -  Residential"}, "MANHATTAN 237 EAST 88 STREET · Noise - Residential"},
		// the target is not said twice
		{Facts{Township: "平安乡", Category: "环境保护", Target: "盛世页岩砖厂", Content: "盛世页岩砖厂生产时粉尘很大。"},
			"平安乡 · 环境保护：盛世页岩砖厂生产时粉尘很大"},
		// cases in several townships, naming several targets: the most common of each, with how
		// many there are (the village, of one township, left out; the target kept, though the
		// gist names it, for the count)
		{Facts{Township: "平安乡", MoreTownships: "等3个乡镇街道", Village: "前进村", Category: "环境保护", Target: "盛世页岩砖厂",
			MoreTargets: "等2个被反映单位", Content: "盛世页岩砖厂生产时粉尘很大。"},
			"平安乡等3个乡镇街道 · 环境保护 · 盛世页岩砖厂等2个被反映单位：盛世页岩砖厂生产时粉尘很大"},
		// clauses of redaction marks are no gist; one with a few marks is
		{Facts{Category: "Debt collection", Content: "XXXX XXXX / XXXX XXXX, I have XXXX accounts with a collector that keeps calling"},
			"Debt collection：I have XXXX accounts with a collector that…"},
		{Facts{Category: "Mortgage", Content: "On XX/XX/XXXX I paid {$2000.00} late"}, "Mortgage：On XX/XX/XXXX I paid {$2000.00} late"},
		{Facts{Category: "Credit card", Content: "XXXX AGAIN HAS FAILED to correct my statement"}, "Credit card：AGAIN HAS FAILED to correct my statement"},
		{Facts{Category: "Mortgage", Content: "XX/XX/XXXX XXXX"}, "Mortgage"},
		// an English run's titles have an English colon
		{Facts{Category: "Mortgage", Content: "On XX/XX/XXXX I paid {$2000.00} late", Lang: "en"}, "Mortgage: On XX/XX/XXXX I paid {$2000.00} late"},
		// a place the text names stays the place
		{Facts{Township: "城关镇", MoreTownships: "等2个乡镇街道", Place: "阳光花园小区"}, "城关镇阳光花园小区"},
	} {
		if got := Of(c.f); got != c.want {
			t.Errorf("Of(%+v) = %q, want %q", c.f, got, c.want)
		}
	}
}

// A resident id number or phone number in content never reaches a title, masked or not: the
// stored content is masked, and a clause holding a mask is left out.
func TestNoIdentifiers(t *testing.T) {
	raw := "本人身份证号110101199003071234，手机13912345678，村里拖欠土地补偿款"
	got := Of(Facts{Township: "城关镇", Content: idnum.MaskText(raw)})
	if strings.Contains(got, "1101011990") || strings.Contains(got, "13912345678") || strings.Contains(got, "〔") {
		t.Errorf("title %q shows an identifier", got)
	}
	if !strings.Contains(got, "村里拖欠土地补偿款") {
		t.Errorf("title %q lost the gist", got)
	}
}

// TestBoilerplateWords checks that boilerplateOf, which runs a kind's expression only on
// clauses holding one of its words, says what the expressions say: on an example of every
// kind of boilerplate, and on every clause of the real message board's texts.
func TestBoilerplateWords(t *testing.T) {
	var exprs []string
	for _, k := range boilerplate {
		exprs = append(exprs, k.expr.String())
	}
	any := regexp.MustCompile(strings.Join(exprs, "|"))
	check := func(c string) {
		if got, _ := boilerplateOf(c); got != any.MatchString(c) {
			t.Errorf("boilerplateOf(%q) = %v, the expressions say %v: add its word to its kind", c, got, !got)
		}
	}
	examples := []string{
		"尊敬的县委书记", "王书记您好", "网民留言", "我今天来访反映", "现反映一个情况", "我想反映个问题", "特此反映如下", "反映如下",
		"关于小区停车的问题", "我们是城关镇的村民", "本人户籍在城关镇", "我住在城关镇", "前进村村民反映",
		"我叫王小明", "联系方式见后", "反映人王某", "我们家住城关镇", "我家在河边", "我今年57岁了",
		"这件事拖到现在", "三年以来", "我们反映过多次", "找过村委会", "打了热线", "恳请领导重视", "谢谢",
	}
	for _, c := range examples {
		if !any.MatchString(c) {
			t.Errorf("example %q is not boilerplate: the example is wrong", c)
		}
		check(c)
	}
	clauses := 0
	for _, name := range []string{"labelled.xlsx", "replies.xlsx"} {
		f, err := excelize.OpenFile(realdata.File(t, filepath.Join("cn-message-board", name)))
		if err != nil {
			t.Fatal(err)
		}
		for _, sheet := range f.GetSheetList() {
			rows, err := f.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			for _, row := range rows {
				for _, cell := range row {
					for _, c := range clauseEnd.Split(cell, -1) {
						check(strings.TrimSpace(c))
						clauses++
					}
				}
			}
		}
		f.Close()
	}
	t.Logf("%d clauses of the message board", clauses)
}
