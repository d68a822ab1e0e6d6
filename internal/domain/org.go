package domain

import "time"

// OrgKind is the kind of an organization in the tree.
type OrgKind string

const (
	OrgCounty        OrgKind = "county"         // 县(市、区): the parent of towns
	OrgTown          OrgKind = "town"           // 镇/街道
	OrgCenter        OrgKind = "center"         // 综治工作中心
	OrgDepartment    OrgKind = "department"     // 成员单位
	OrgVillage       OrgKind = "village"        // 村/社区
	OrgVillageGroup  OrgKind = "village_group"  // 村民小组
	OrgSchool        OrgKind = "school"         // 学校
	OrgEnterprise    OrgKind = "enterprise"     // 企业
	OrgMediation     OrgKind = "mediation"      // 调解委员会
	OrgVolunteerTeam OrgKind = "volunteer_team" // 平安志愿者队伍
	OrgGrid          OrgKind = "grid"           // 网格
)

// OrgKinds lists every kind in the order forms offer them.
var OrgKinds = []OrgKind{OrgCounty, OrgTown, OrgCenter, OrgDepartment, OrgVillage, OrgVillageGroup,
	OrgSchool, OrgEnterprise, OrgMediation, OrgVolunteerTeam, OrgGrid}

var orgKindLabels = map[OrgKind]string{
	OrgCounty: "县（市、区）", OrgTown: "镇（街道）", OrgCenter: "综治工作中心", OrgDepartment: "成员单位",
	OrgVillage: "村（社区）", OrgVillageGroup: "村民小组", OrgSchool: "学校", OrgEnterprise: "企业",
	OrgMediation: "调解委员会", OrgVolunteerTeam: "志愿者队伍", OrgGrid: "网格",
}

// Label returns the Chinese name of the kind.
func (k OrgKind) Label() string {
	if l, ok := orgKindLabels[k]; ok {
		return l
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k OrgKind) Valid() bool { _, ok := orgKindLabels[k]; return ok }

// ParseOrgKind accepts either the code or the Chinese label of a kind.
func ParseOrgKind(s string) (OrgKind, bool) {
	if OrgKind(s).Valid() {
		return OrgKind(s), true
	}
	for k, l := range orgKindLabels {
		if l == s {
			return k, true
		}
	}
	return "", false
}

// allowedChildren says which kinds may sit directly under which; it keeps the tree meaningful
// (a grid under a village, never a town under a grid).
var allowedChildren = map[OrgKind][]OrgKind{
	OrgCounty:        {OrgTown},
	OrgTown:          {OrgCenter, OrgDepartment, OrgVillage, OrgSchool, OrgEnterprise, OrgMediation, OrgVolunteerTeam, OrgGrid},
	OrgCenter:        {OrgDepartment, OrgVolunteerTeam},
	OrgDepartment:    {OrgGrid},
	OrgVillage:       {OrgVillageGroup, OrgGrid, OrgMediation, OrgVolunteerTeam},
	OrgVillageGroup:  {OrgGrid},
	OrgSchool:        {OrgMediation, OrgGrid},
	OrgEnterprise:    {OrgMediation, OrgGrid},
	OrgMediation:     nil,
	OrgVolunteerTeam: nil,
	OrgGrid:          nil,
}

// CanParent reports whether an organization of kind child may sit directly under parent.
func CanParent(parent, child OrgKind) bool {
	for _, k := range allowedChildren[parent] {
		if k == child {
			return true
		}
	}
	return false
}

// Org is one node of the organization tree. TownID is the town the organization belongs to;
// a county has none (0). ParentID is 0 for a root.
type Org struct {
	ID        int64
	TownID    int64
	ParentID  int64
	Kind      OrgKind
	Name      string
	Code      string
	SortOrder int
	Contact   string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// HandlesCases reports whether a case can be dispatched to the organization: every unit below
// the town, but not the town or county itself, which act through their center and units.
func (o Org) HandlesCases() bool {
	return o.Kind != OrgTown && o.Kind != OrgCounty
}

// ValidateOrg checks the fields a person types into the organization form.
func ValidateOrg(o *Org) error {
	o.Name = CleanLine(o.Name)
	o.Code = CleanLine(o.Code)
	o.Contact = CleanLine(o.Contact)
	p := Problems{}
	p.CheckLength("name", "名称", o.Name, true, 60)
	p.CheckLength("code", "编码", o.Code, false, 30)
	p.CheckLength("contact", "联系方式", o.Contact, false, 60)
	if !o.Kind.Valid() {
		p.Add("kind", "请选择组织类型。")
	}
	if o.SortOrder < 0 || o.SortOrder > 99999 {
		p.Add("sort_order", "排序号应在 0 到 99999 之间。")
	}
	return p.Err()
}

// OrgNode is an organization with its children, for drawing the tree.
type OrgNode struct {
	Org
	Depth    int
	Children []*OrgNode
}

// BuildTree arranges orgs into trees; roots are orgs whose parent is not among orgs.
// Children keep the order of the input, which the store sorts by sort order and id.
func BuildTree(orgs []Org) []*OrgNode {
	nodes := make(map[int64]*OrgNode, len(orgs))
	for _, o := range orgs {
		nodes[o.ID] = &OrgNode{Org: o}
	}
	var roots []*OrgNode
	for _, o := range orgs {
		n := nodes[o.ID]
		if p, ok := nodes[o.ParentID]; ok && o.ParentID != 0 {
			p.Children = append(p.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	var setDepth func(ns []*OrgNode, d int)
	setDepth = func(ns []*OrgNode, d int) {
		for _, n := range ns {
			n.Depth = d
			setDepth(n.Children, d+1)
		}
	}
	setDepth(roots, 0)
	return roots
}

// Flatten lists a tree depth-first, parents before children.
func Flatten(roots []*OrgNode) []*OrgNode {
	var out []*OrgNode
	var walk func(ns []*OrgNode)
	walk = func(ns []*OrgNode) {
		for _, n := range ns {
			out = append(out, n)
			walk(n.Children)
		}
	}
	walk(roots)
	return out
}
