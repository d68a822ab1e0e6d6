package servicedemo

import (
	"time"

	"pingan/internal/board"
	"pingan/internal/casework"
)

// The demo's texts were written for the demo; names are common surnames with a title.

type suggestion struct{ title, body, name, reply string }

// suggestions are 25 published suggestions; a 26th waits in the moderation queue.
var suggestions = []suggestion{
	{"建议在高桥中学门口设置减速带", "每天放学时校门口车很多，电瓶车和小汽车开得都快，学生过马路很危险，建议设置减速带和人行横道。", "周老师", "已转交管站现场查看，计划本月在校门口两侧各设一道减速带并施划人行横道线。"},
	{"夜间巡逻能否延长到凌晨", "越丰村这段时间有几户人家的电瓶被偷，建议保安队夜间巡逻延长到凌晨两点。", "张先生", "保安队已调整排班，越丰村、骑力村片区夜巡延长至凌晨两点，感谢您的建议。"},
	{"建议公布各村调解员联系电话", "遇到邻里矛盾不知道找谁，希望把每个村调解员的电话公布在村务公开栏里。", "李阿姨", "各村调解委员会成员名单和电话已在村务公开栏和本网“平安提示”栏目公布。"},
	{"河道边的护栏需要维修", "三门村河埠头旁边的护栏有两段锈断了，小孩子在边上玩很危险。", "沈先生", "已通知三门村和水利站，护栏已于本周更换。"},
	{"希望多开展防诈骗宣传进村", "村里老人接到冒充医保局的电话差点转钱，建议派出所多到村里讲讲防骗。", "陆女士", "派出所已安排反诈民警每月到两个村开展宣传，下一场在南日村文化礼堂。"},
	{"建议在菜市场增设消防栓标识", "高桥菜市场里的消防栓被摊位挡住了，找都找不到，建议重新标识并清理。", "吴先生", "安监站已督促市场管理方清理通道，消防栓已重新标识。"},
	{"出租房消防检查能否提前通知", "作为房东很支持检查，但希望提前一两天通知，方便我们在家配合。", "钱先生", "今后出租房屋消防检查将提前一天通过村网格员通知房东。"},
	{"建议路口安装监控探头", "亭桥村与永丰村交界的丁字路口晚上没有路灯也没有监控，去年出过事故。", "朱先生", "已列入今年“雪亮工程”补点计划，路灯由村里先行安装。"},
	{"学校周边流动摊贩太多", "中学门口放学时流动摊点很多，卖的东西卫生没保障，还挡路。", "何女士", "已会同市场监管部门开展校园周边整治，每天放学时段安排人员值守。"},
	{"建议组织平安志愿者培训", "很多退休的人愿意做平安志愿者，希望镇里组织一些急救和消防的培训。", "徐大伯", "平安志愿者服务队计划下月举办急救和消防技能培训，报名请联系各村。"},
	{"电动车上楼充电问题", "小区里还是有人把电动车推进电梯，物业劝了也不听，建议加大检查力度。", "孙女士", "已联合社区和物业开展专项检查，并在电梯加装阻车装置。"},
	{"建议公布矛盾纠纷调解流程", "不知道调解要准备什么材料，建议在网上公布调解流程。", "马先生", "调解流程和所需材料已在“普法宣传”栏目发布，也可拨打司法所电话咨询。"},
	{"村道转弯处视线不好", "骑力村东头的转弯处竹子长得太密，开车看不到对面来车。", "蒋先生", "村里已组织清理竹丛，并在转弯处设置凸面镜。"},
	{"希望禁毒宣传进工厂", "我们厂里外地工友多，建议禁毒办到企业里开展宣传。", "高女士", "禁毒办已与浙江高桥新材料有限公司等五家企业约定宣传时间。"},
	{"公交站台需要加装照明", "高桥社区公交站晚上很黑，下夜班的人等车害怕。", "郑女士", "已联系公交公司，站台照明将在月底前安装。"},
	{"建议设立矛盾纠纷网上预约", "上班时间没空去司法所，能不能网上预约调解时间？", "冯先生", "可通过本网在线咨询或留言预约，工作人员会与您约定时间，周六上午也可安排。"},
	{"防溺水警示牌应该更醒目", "暑假快到了，河边的防溺水警示牌字太小，建议换大一点的。", "韩女士", "各村已更换防溺水警示牌共 46 块，并在重点水域安排巡查。"},
	{"建议加强快递网点安全管理", "镇上几个快递点包裹乱堆在路边，夜里也没人看管。", "曹先生", ""},
	{"农村房屋出租登记能否在网上办", "希望出租房屋登记能在手机上办，不用每次跑新居民事务所。", "许先生", "新居民事务所正在对接省里的平台，开通后会在本网公告。"},
	{"老年人防跌倒宣传", "建议在社区开展老人居家安全和防跌倒的宣传。", "曾阿姨", ""},
	{"建议规范工地夜间施工", "大桥社区旁边工地经常夜里十一点还在施工，影响休息。", "彭先生", "已通知施工单位严格遵守夜间施工规定，确需夜间施工须提前公示。"},
	{"村里广场舞音量太大", "高桥村广场舞音响太响，晚上九点以后还在跳，建议规定时间和音量。", "吕先生", "村里已与广场舞队协商，活动时间调整为晚上八点半前结束，音量调低。"},
	{"希望开设法律咨询日", "很多村民遇到土地、婚姻方面的法律问题，建议每月有固定的法律咨询日。", "唐先生", "司法所与律师事务所合作，每月第一个周三在镇便民服务中心开展法律咨询。"},
	{"建议定期检查学校食堂", "孩子在学校吃饭，家长比较关心食堂卫生，希望多检查并公开结果。", "袁女士", ""},
	{"路边违停影响消防通道", "高桥社区几栋楼之间的消防通道经常被私家车占用，万一着火消防车进不来。", "邓先生", "社区已施划消防通道标线，交管站将定期开展违停整治。"},
}

type helpPost struct {
	kind    board.Kind
	title   string
	body    string
	name    string
	address string
	public  bool
	reply   string
	rating  casework.Rating
}

// helpPosts are consultations and help requests on the board; each is answered.
var helpPosts = []helpPost{
	{board.Consultation, "居住证办理需要多长时间", "我在高桥镇租房住了半年，想办居住证，请问要带哪些材料，多久能拿到？", "赵先生", "", true,
		"请携带身份证、租房合同和房东的房屋产权证明复印件到新居民事务所办理，材料齐全的 7 个工作日内可领取。", casework.Satisfied},
	{board.HelpRequest, "母亲走失后找回，想申请防走失手环", "我母亲有老年痴呆，上周走失了一次，幸好被好心人送回。听说镇里可以申请防走失手环，怎么申请？", "金女士", "越丰村", false,
		"您好，可由家属携带老人身份证到村委会登记，镇里统一配发防走失定位手环，村网格员会上门帮您办理。", casework.Satisfied},
	{board.Consultation, "邻居装修把墙打裂了怎么处理", "楼上装修把我家墙面震出裂缝，协商不成，请问可以找谁调解？", "陈女士", "", true,
		"可向所在村（社区）人民调解委员会申请调解，也可以到司法所申请。调解不收费，调解协议具有法律约束力。", casework.Basically},
	{board.Consultation, "电动车上牌要去哪里", "新买的电动自行车，请问在高桥镇哪里可以上牌，需要带什么？", "杜先生", "", true,
		"可到交管站电动自行车登记点办理，请带身份证、购车发票和合格证，当场可办结。", ""},
}

type chatScript struct {
	day      int
	topic    string
	name     string
	lines    []string // visitor and agent lines, alternating, visitor first
	resolved bool
	toCase   bool
	rating   casework.Rating
}

// chats are six live consultations: five end resolved (one through a case), one does not.
var chats = []chatScript{
	{20, "咨询调解协议的效力", "吴先生", []string{"您好，村里调解员帮我们调解了一起纠纷，签了协议，这个协议有法律效力吗？", "您好，人民调解协议具有法律约束力，双方应当履行。如果对方不履行，可以申请司法确认。", "司法确认要去哪里办？", "可以到桐乡市人民法院或者司法所咨询，司法所工作人员会协助您准备材料。"}, true, false, casework.Satisfied},
	{47, "反映小区路灯不亮", "姚女士", []string{"高桥社区 3 幢后面的路灯坏了一个多月了，晚上很黑。", "好的，我已记录，会转交社区和相关部门尽快维修。"}, true, false, casework.Satisfied},
	{76, "咨询出租房屋登记", "沈先生", []string{"我家有两间房想出租给外地人，需要去登记吗？", "需要的。请在租客入住后 3 日内到新居民事务所或者通过村网格员办理出租房屋登记。", "好的，谢谢。"}, true, false, ""},
	{103, "反映养殖场异味扰民", "俞女士", []string{"南日村那边一个养猪场味道很大，夏天窗都不能开。", "您好，请问具体位置在哪里？大概从什么时候开始的？", "在南日村西边靠河的地方，今年五月开始特别明显。", "好的，这个需要生态环境办现场核查，我帮您转为工单办理，办理结果会通知您。"}, false, true, ""},
	{131, "询问夜间施工投诉", "潘先生", []string{"晚上工地施工很吵，可以投诉吗？", "可以的，请问是哪个工地？", "算了，我明天再说吧。"}, false, false, ""},
	{158, "咨询防诈骗报警方式", "孔阿姨", []string{"我接到一个电话说我孙子出事要转钱，我没转，这种要报警吗？", "您做得很对！这是典型的诈骗电话，建议拨打 110 或者 96110 反诈专线反映，也可以到高桥派出所报案。"}, true, false, casework.Satisfied},
}

type townCase struct {
	day      int
	channel  casework.Channel
	category casework.Category
	title    string
	body     string
	name     string
	lead     string
	assists  []string
	// stage: how far the demo carries the case: "closed", "resolved", "overdue" (dispatched and
	// left unacknowledged), "supervised" (acknowledged, past its reply limit, supervised twice),
	// "reopened" (resolved, then reopened by the citizen).
	stage string
	reply string
}

// townCases are cases registered by the center from phone calls, visits and patrols.
var townCases = []townCase{
	{12, casework.ChannelPhone, casework.CategoryPublicOrder, "反映网吧接纳未成年人", "群众来电反映高桥社区某网吧晚上有初中生上网。", "匿名群众", "高桥派出所", nil, "closed", "经检查，该网吧存在接纳未成年人行为，已依法处罚并责令整改。"},
	{26, casework.ChannelVisit, casework.CategoryWorkSafety, "反映小作坊存在火灾隐患", "群众来访反映永丰村一处家庭作坊堆放大量易燃物，电线乱拉。", "蒋先生", "安监站", []string{"永丰村"}, "closed", "已现场检查，督促作坊清理易燃物、规范用电，已复查合格。"},
	{41, casework.ChannelPatrol, casework.CategoryTraffic, "国道路口信号灯损坏", "网格员巡查发现高桥大道与国道交叉口信号灯一组不亮。", "网格员", "交管站", nil, "closed", "已联系维修单位更换信号灯控制器，当天恢复正常。"},
	{58, casework.ChannelPhone, casework.CategoryNewResidents, "反映出租房人员登记不全", "群众来电反映大桥社区一处出租房住了十多人，未见登记。", "匿名群众", "新居民事务所", []string{"大桥社区"}, "closed", "已上门核查，补登记 12 人，督促房东落实登记责任。"},
	{88, casework.ChannelVisit, casework.CategoryLivelihood, "反映自来水水压不足", "群众来访反映亭桥村北片高峰期水压低，楼上用不了水。", "朱女士", "亭桥村", nil, "resolved", "已协调供水公司检修管网，加装增压设备。"},
	{150, casework.ChannelPhone, casework.CategoryLivelihood, "反映村道路灯大面积不亮", "群众来电反映骑力村主路二十多盏路灯不亮已有一周。", "陆先生", "骑力村", []string{"交管站"}, "overdue", ""},
	{140, casework.ChannelPhone, casework.CategoryNewResidents, "反映房东拒不办理租住登记", "租客来电反映房东不愿配合办理租住登记，影响孩子入学。", "何女士", "新居民事务所", nil, "supervised", ""},
	{120, casework.ChannelVisit, casework.CategoryEnvironment, "反映工地夜间施工噪声", "群众来访反映大桥社区旁工地多次夜间施工，噪声扰民。", "彭先生", "生态环境办", []string{"大桥社区"}, "reopened", "已约谈施工单位，要求夜间十点后停止施工。"},
}

type localDispute struct {
	village string
	org     string // the org that handles it: the village's mediation committee or the village
	title   string
	body    string
	note    string
}

// disputeKinds are the disputes villages settle themselves; localDisputes cycles through them.
var disputeKinds = []struct{ title, body, note string }{
	{"邻里宅基地界址纠纷", "两户因新建围墙位置发生争执，互不相让。", "调解员现场丈量，参照原宅基地证明确界址，双方签订调解协议。"},
	{"土地流转租金纠纷", "承包户与村民对土地流转租金支付时间有争议。", "经调解，承包户一周内付清租金，双方续签合同。"},
	{"赡养老人纠纷", "兄弟三人对母亲的赡养费分担有分歧。", "经调解，三兄弟按月分担赡养费并轮流照顾，签订赡养协议。"},
	{"雨水排放纠纷", "楼上住户雨水管直排到邻居院子，引发争吵。", "调解员协调改接雨水管，双方握手言和。"},
	{"家禽损坏庄稼纠纷", "村民散养的鸡鸭多次进入邻居菜地啄食蔬菜。", "经调解，养殖户圈养家禽并赔偿损失 300 元。"},
	{"装修噪音纠纷", "邻居装修在午休时间施工，引发矛盾。", "约定施工时间，双方达成谅解。"},
	{"劳务工资纠纷", "村民在本村建筑队务工，工钱被拖欠两个月。", "经调解，建筑队负责人当场支付拖欠工资。"},
	{"婚姻家庭纠纷", "夫妻因家务琐事争吵，女方回了娘家。", "调解员和妇联主任上门劝和，夫妻和好。"},
}

var disputeVillages = []struct{ village, org string }{
	{"越丰村", "越丰村人民调解委员会"}, {"高桥村", "高桥村人民调解委员会"}, {"骑力村", "骑力村"}, {"南日村", "南日村"},
	{"三门村", "三门村"}, {"亭桥村", "亭桥村"}, {"永丰村", "永丰村"}, {"新联村", "新联村"}, {"高桥社区", "高桥社区"}, {"大桥社区", "大桥社区"},
}

// disputeRatings are the parties' ratings of the settlements the villages follow up.
var disputeRatings = []casework.Rating{casework.Satisfied, casework.Satisfied, casework.Basically, casework.Satisfied, casework.Dissatisfied,
	casework.Satisfied, casework.Basically, casework.Satisfied, casework.Satisfied, casework.Basically}

type coordinationMatter struct {
	title   string
	body    string
	lead    string
	assists []string
	open    bool
	// months are the months the matter belongs to; nil means any time of the year.
	months []time.Month
}

// coordinationMatters are the center's 22 coordination matters of the half year, registered
// eight days apart. A seasonal matter that would fall outside its months gives its place to one
// of offSeasonMatters, so the count stays the same whatever the demo's half year is.
var coordinationMatters = []coordinationMatter{
	{"春节前烟花爆竹安全联合检查", "春节前对全镇烟花爆竹经营点开展联合检查。", "安监站", []string{"高桥派出所", "交管站"}, false, []time.Month{time.December, time.January, time.February}},
	{"沪杭铁路高桥段护路联防巡查", "组织沿线村开展铁路护路联防巡查，清理线路两侧隐患。", "高桥派出所", []string{"越丰村", "骑力村", "保安队"}, false, nil},
	{"校园周边交通秩序整治", "上学放学时段校门口交通秩序整治。", "交管站", []string{"高桥派出所", "桐乡市高桥中学"}, false, nil},
	{"出租房屋消防安全排查", "对全镇出租房屋开展消防安全排查。", "安监站", []string{"新居民事务所", "高桥社区", "大桥社区"}, false, nil},
	{"禁毒宣传月活动", "六月禁毒宣传月进村、进校、进企业活动。", "禁毒办", []string{"桐乡市高桥中学", "浙江高桥新材料有限公司"}, false, []time.Month{time.May, time.June}},
	{"重点时段信访维稳值守", "节假日期间信访接待和值守安排。", "信访办", []string{"司法所", "高桥派出所"}, false, nil},
	{"河道沿线违规排污联合巡查", "对主要河道沿线企业和作坊开展排污巡查。", "生态环境办", []string{"南日村", "三门村"}, false, nil},
	{"新居民集中登记服务", "在企业集中区开展新居民登记上门服务。", "新居民事务所", []string{"浙江高桥新材料有限公司"}, false, nil},
	{"防汛防台隐患排查", "汛期前对低洼地带、危旧房屋开展排查。", "安监站", []string{"越丰村", "亭桥村", "永丰村"}, false, []time.Month{time.March, time.April, time.May, time.June}},
	{"电动自行车违规充电整治", "居民楼道电动自行车充电专项整治。", "安监站", []string{"高桥社区", "大桥社区", "保安队"}, false, nil},
	{"平安志愿者夜间巡防", "组织平安志愿者参与夜间巡防。", "保安队", []string{"高桥镇平安志愿者服务队"}, false, nil},
	{"矛盾纠纷集中排查化解", "每季度矛盾纠纷集中排查，疑难纠纷联合化解。", "司法所", []string{"信访办", "越丰村人民调解委员会"}, false, nil},
	{"养老诈骗防范宣传", "面向老年人开展养老诈骗防范宣传。", "高桥派出所", []string{"司法所"}, false, nil},
	{"工地欠薪问题协调", "协调处理某工地农民工工资拖欠问题。", "信访办", []string{"司法所", "大桥社区"}, false, nil},
	{"农村道路交通安全劝导站值守", "在重点路口设置劝导站，劝导不戴头盔等行为。", "交管站", []string{"骑力村", "新联村"}, false, nil},
	{"中高考期间考点周边环境保障", "考试期间考点周边噪声管控和交通保障。", "交管站", []string{"生态环境办", "桐乡市高桥中学"}, false, []time.Month{time.May, time.June}},
	{"企业安全生产大检查", "对规模以上企业开展安全生产大检查。", "安监站", []string{"浙江高桥新材料有限公司"}, false, nil},
	{"校园欺凌防范联合宣讲", "法治副校长进校园开展防范校园欺凌宣讲。", "司法所", []string{"桐乡市高桥中学", "高桥派出所"}, false, nil},
	{"独居老人安全走访", "网格员和志愿者走访独居老人，检查用火用电安全。", "高桥社区", []string{"高桥镇平安志愿者服务队"}, false, nil},
	{"高铁站周边非法营运整治", "整治高铁站周边非法营运车辆。", "交管站", []string{"高桥派出所"}, true, nil},
	{"小作坊无证经营清理", "联合清理无证无照小作坊。", "安监站", []string{"生态环境办", "新居民事务所"}, true, nil},
	{"年底治安防范集中宣传", "年底入室盗窃、电信诈骗防范集中宣传。", "高桥派出所", []string{"保安队", "高桥社区"}, true, []time.Month{time.November, time.December, time.January}},
}

// offSeasonMatters replace seasonal coordination matters out of season, in order; each is used
// at most once.
var offSeasonMatters = []coordinationMatter{
	{"农贸市场周边占道经营整治", "整治农贸市场周边占道经营和乱停车。", "交管站", []string{"高桥社区", "保安队"}, false, nil},
	{"废品收购站点安全检查", "对全镇废品收购站点开展消防和治安检查。", "安监站", []string{"高桥派出所", "新居民事务所"}, false, nil},
	{"寄递物流安全检查", "对快递网点开展寄递安全和收寄验视检查。", "高桥派出所", []string{"安监站"}, false, nil},
	{"村级人民调解员业务培训", "组织各村人民调解员集中培训，交流疑难纠纷调解经验。", "司法所", []string{"越丰村人民调解委员会"}, false, nil},
	{"沿街店铺消防通道清理", "清理沿街店铺堵占消防通道的杂物。", "安监站", []string{"大桥社区", "保安队"}, false, nil},
	{"出租车和网约车站点秩序整治", "整治集镇出租车、网约车乱停乱靠和拒载。", "交管站", []string{"高桥派出所"}, false, nil},
}
