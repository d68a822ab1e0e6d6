package domain

import (
	"sort"
	"strings"
	"time"
)

// WorkGroupBanner is the standing warning over every work group channel.
const WorkGroupBanner = "工作群仅用于日常工作交流。严禁在工作群中发布、转发涉密文件和涉密信息，涉密事项请按保密规定线下办理。"

// DefaultChannelName is the name of the channel every work group member belongs to.
const DefaultChannelName = "全体成员"

// Work group limits, in characters.
const (
	MaxMessageBody      = 2000
	MaxChannelName      = 30
	MaxChannelDesc      = 200
	MaxChannelMembers   = 1000
	MaxMentionsPerMsg   = 20
	WorkGroupSearchSize = 30
)

// Channel is one work group channel. Everyone marks the channel of all members; the others list
// their members.
type Channel struct {
	ID          int64
	TownID      int64
	Name        string
	Description string
	Everyone    bool
	CreatedBy   int64
	CreatedAt   time.Time

	// Filled for a member's channel list.
	LastSeq  int64 // sequence number of the latest message
	LastRead int64 // the viewer's read position
	Unread   int   // messages by others after the read position
	Members  int
}

// ValidateChannel checks the fields of the channel form.
func ValidateChannel(c *Channel, members int) error {
	c.Name = CleanLine(c.Name)
	c.Description = CleanLine(c.Description)
	p := Problems{}
	p.CheckLength("name", "频道名称", c.Name, true, MaxChannelName)
	p.CheckLength("description", "频道说明", c.Description, false, MaxChannelDesc)
	if c.Name == DefaultChannelName {
		p.Add("name", "“"+DefaultChannelName+"”是默认频道的名称，请换一个。")
	}
	if members > MaxChannelMembers {
		p.Add("members", "频道成员不能超过 1000 人。")
	}
	return p.Err()
}

// Message is one work group message. Seq is its position in the channel.
type Message struct {
	ID        int64
	ChannelID int64
	Seq       int64
	AccountID int64
	Author    string
	OrgName   string
	Body      string
	CreatedAt time.Time
	Files     []Attachment
	Mentions  []int64 // accounts mentioned with @
}

// ValidateMessage checks a message text; an empty text is allowed when files come with it.
func ValidateMessage(body string, files int) (string, error) {
	body = CleanText(body)
	p := Problems{}
	if body == "" && files == 0 {
		p.Add("body", "请输入消息内容或选择附件。")
	}
	p.CheckLength("body", "消息", body, false, MaxMessageBody)
	return body, p.Err()
}

// FindMentions returns the accounts that body mentions as "@姓名", from names mapping display
// names to account ids. A longer name wins over a shorter one it starts with, so "@王秀英" is
// never read as "@王秀". At most MaxMentionsPerMsg accounts are returned, in order of first
// mention.
func FindMentions(body string, names map[string]int64) []int64 {
	if !strings.Contains(body, "@") && !strings.Contains(body, "＠") {
		return nil
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		if n != "" {
			sorted = append(sorted, n)
		}
	}
	sort.Slice(sorted, func(i, j int) bool {
		if len(sorted[i]) != len(sorted[j]) {
			return len(sorted[i]) > len(sorted[j])
		}
		return sorted[i] < sorted[j]
	})
	var out []int64
	seen := map[int64]bool{}
	rest := body
	for {
		i := strings.IndexAny(rest, "@＠")
		if i < 0 || len(out) >= MaxMentionsPerMsg {
			return out
		}
		_, size := firstRune(rest[i:])
		rest = rest[i+size:]
		for _, n := range sorted {
			if strings.HasPrefix(rest, n) {
				if id := names[n]; !seen[id] {
					seen[id] = true
					out = append(out, id)
				}
				break
			}
		}
	}
}

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}
