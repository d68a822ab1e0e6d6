package casework

// Channel is where a case came from. The list is open: a feature area adds its channel here
// with a label, and the statistics count every listed channel.
type Channel string

const (
	ChannelBoard        Channel = "board"        // 留言板
	ChannelChat         Channel = "chat"         // 在线咨询
	ChannelPhone        Channel = "phone"        // 来电
	ChannelVisit        Channel = "visit"        // 来访
	ChannelInquiry      Channel = "inquiry"      // 询问事项
	ChannelPatrol       Channel = "patrol"       // 网格巡查
	ChannelCoordination Channel = "coordination" // 协调事项
)

// Channels lists every channel in the order of the statistics.
var Channels = []Channel{ChannelBoard, ChannelChat, ChannelPhone, ChannelVisit, ChannelInquiry, ChannelPatrol, ChannelCoordination}

var channelLabels = map[Channel]string{
	ChannelBoard: "留言板", ChannelChat: "在线咨询", ChannelPhone: "来电", ChannelVisit: "来访",
	ChannelInquiry: "询问事项", ChannelPatrol: "网格巡查", ChannelCoordination: "协调事项",
}

// Label returns the Chinese name of the channel.
func (c Channel) Label() string {
	if l, ok := channelLabels[c]; ok {
		return l
	}
	return string(c)
}

// Valid reports whether c is a listed channel.
func (c Channel) Valid() bool { _, ok := channelLabels[c]; return ok }

// StaffLogged reports whether staff register cases of this channel by hand on the case form
// (phone calls, visits, patrols); the other channels have their own entry points.
func (c Channel) StaffLogged() bool {
	return c == ChannelPhone || c == ChannelVisit || c == ChannelPatrol
}

// Category is the subject of a case; it sets the time limits.
type Category string

const (
	CategoryEnvironment  Category = "environment"   // 生态环境
	CategoryDispute      Category = "dispute"       // 矛盾纠纷
	CategoryPublicOrder  Category = "public_order"  // 社会治安
	CategoryWorkSafety   Category = "work_safety"   // 安全生产
	CategoryTraffic      Category = "traffic"       // 道路交通
	CategoryLivelihood   Category = "livelihood"    // 民生服务
	CategoryNewResidents Category = "new_residents" // 新居民服务
	CategoryPolicy       Category = "policy"        // 政策咨询
	CategoryCoordination Category = "coordination"  // 协调事项
	CategoryOther        Category = "other"         // 其他
)

// Limits are a category's time limits in working days, counted from the day after dispatch.
type Limits struct {
	Acknowledge int
	Reply       int
	Resolve     int
}

// CategoryInfo describes one category.
type CategoryInfo struct {
	Category Category
	Label    string
	Limits   Limits
}

// Categories lists every category with its time limits. Disputes and work-safety hazards are
// the most urgent; policy questions need only an answer.
var Categories = []CategoryInfo{
	{CategoryDispute, "矛盾纠纷", Limits{1, 3, 10}},
	{CategoryEnvironment, "生态环境", Limits{1, 5, 15}},
	{CategoryPublicOrder, "社会治安", Limits{1, 3, 10}},
	{CategoryWorkSafety, "安全生产", Limits{1, 3, 10}},
	{CategoryTraffic, "道路交通", Limits{1, 5, 15}},
	{CategoryLivelihood, "民生服务", Limits{1, 5, 15}},
	{CategoryNewResidents, "新居民服务", Limits{2, 5, 15}},
	{CategoryPolicy, "政策咨询", Limits{1, 3, 5}},
	{CategoryCoordination, "协调事项", Limits{2, 5, 20}},
	{CategoryOther, "其他", Limits{2, 5, 20}},
}

// Info returns the description of c, or false when c is unknown.
func (c Category) Info() (CategoryInfo, bool) {
	for _, ci := range Categories {
		if ci.Category == c {
			return ci, true
		}
	}
	return CategoryInfo{}, false
}

// Label returns the Chinese name of the category.
func (c Category) Label() string {
	if ci, ok := c.Info(); ok {
		return ci.Label
	}
	return string(c)
}

// Valid reports whether c is a listed category.
func (c Category) Valid() bool { _, ok := c.Info(); return ok }
