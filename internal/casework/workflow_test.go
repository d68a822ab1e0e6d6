package casework

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"pingan/internal/domain"
)

// actorCase is one kind of actor in the table: a role with its relation to the case.
type actorCase struct {
	name  string
	party Party
}

func actorCases() []actorCase {
	var out []actorCase
	for _, r := range domain.AllRoles {
		roles := []domain.Role{r}
		out = append(out,
			actorCase{string(r), Party{Roles: roles}},
			actorCase{string(r) + "+lead", Party{Roles: roles, Lead: true}},
			actorCase{string(r) + "+assist", Party{Roles: roles, Assist: true}},
			actorCase{string(r) + "+village", Party{Roles: roles, Village: true}},
			actorCase{string(r) + "+village+lead", Party{Roles: roles, Village: true, Lead: true}},
		)
	}
	return append(out, actorCase{"citizen", Party{Citizen: true}})
}

// allowedSpec is the expected workflow, written out independently of the rules table: for a
// town case (not local, not a coordination matter), the set of "actor action from→to" lines
// that are allowed. Every other combination must be refused.
func allowedSpec(f Facts) map[string]State {
	spec := map[string]State{}
	add := func(actors []string, a Action, from []State, to State) {
		for _, who := range actors {
			for _, s := range from {
				t := to
				if t == "" {
					t = s
				}
				spec[fmt.Sprintf("%s %s %s", who, a, s)] = t
			}
		}
	}
	var center, lead, assist []string
	local := f.Local
	for _, ac := range actorCases() {
		p := ac.party
		if p.Citizen {
			continue
		}
		can := func(perm domain.Permission) bool { return domain.HasPermission(p.Roles, perm) }
		isCenter := can(domain.PermCasesDispatch) || f.Channel == ChannelCoordination && can(domain.PermCoordinationManage)
		isManager := isCenter
		if local {
			isManager = p.Village && can(domain.PermCasesLocal)
		}
		handles := can(domain.PermCasesHandle) || can(domain.PermCasesLocal)
		if isManager {
			center = append(center, ac.name)
		}
		if isCenter {
			add([]string{ac.name}, ActSupervise, []State{Dispatched, Acknowledged, InProgress, Replied}, "")
		}
		if p.Lead && handles {
			lead = append(lead, ac.name)
		}
		if p.Assist && !p.Lead && handles {
			assist = append(assist, ac.name)
		}
	}
	add(center, ActDecline, []State{Registered, SentBack, Escalated}, Closed)
	add(center, ActDispatch, []State{Registered, SentBack, Escalated}, Dispatched)
	add(center, ActEscalate, []State{Registered, SentBack}, Escalated)
	add(center, ActMerge, []State{Registered, SentBack, Dispatched, Acknowledged, InProgress}, Closed)
	add(center, ActFollowUp, []State{Resolved}, FollowedUp)
	add(center, ActClose, []State{Resolved, FollowedUp}, Closed)
	add(center, ActReopen, []State{Resolved, FollowedUp, Closed}, Dispatched)
	add(lead, ActAcknowledge, []State{Dispatched}, Acknowledged)
	add(lead, ActSendBack, []State{Dispatched, Acknowledged}, SentBack)
	add(lead, ActHandle, []State{Acknowledged, InProgress}, InProgress)
	add(lead, ActHandle, []State{Replied}, Replied)
	add(lead, ActReply, []State{Acknowledged, InProgress, Replied}, Replied)
	add(lead, ActResolve, []State{Acknowledged, InProgress, Replied}, Resolved)
	for _, a := range AssistActions {
		add(assist, a, []State{Dispatched, Acknowledged, InProgress, Replied}, "")
	}
	add([]string{"citizen"}, ActFollowUp, []State{Resolved}, FollowedUp)
	add([]string{"citizen"}, ActReopen, []State{Resolved, FollowedUp}, Dispatched)
	return spec
}

func TestCheckEveryTransition(t *testing.T) {
	factsList := []struct {
		name  string
		facts Facts
	}{
		{"town case", Facts{Channel: ChannelBoard}},
		{"local dispute", Facts{Channel: ChannelVisit, Local: true}},
		{"coordination matter", Facts{Channel: ChannelCoordination}},
	}
	for _, fl := range factsList {
		t.Run(fl.name, func(t *testing.T) {
			spec := allowedSpec(fl.facts)
			allowed, refused := 0, 0
			for _, ac := range actorCases() {
				for _, a := range Actions {
					if a == ActRegister {
						continue
					}
					for _, s := range States {
						f := fl.facts
						f.State = s
						key := fmt.Sprintf("%s %s %s", ac.name, a, s)
						want, ok := spec[key]
						got, err := Check(ac.party, f, a)
						switch {
						case ok && err != nil:
							t.Errorf("%s: refused (%v), want allowed to %s", key, err, want)
						case ok && got != want:
							t.Errorf("%s: moves to %s, want %s", key, got, want)
						case !ok && err == nil:
							t.Errorf("%s: allowed to %s, want refused", key, got)
						case !ok:
							k := domain.ErrorKind(err)
							if k != domain.KindForbidden && k != domain.KindConflict {
								t.Errorf("%s: error kind %d, want forbidden or conflict", key, k)
							}
							refused++
						default:
							allowed++
						}
					}
				}
			}
			if allowed == 0 || refused == 0 {
				t.Errorf("allowed %d, refused %d: the table exercises nothing", allowed, refused)
			}
		})
	}
}

func TestCheckRegister(t *testing.T) {
	tests := []struct {
		role  domain.Role
		facts Facts
		want  bool
	}{
		{domain.RoleDispatcher, Facts{Channel: ChannelPhone}, true},
		{domain.RoleDispatcher, Facts{Channel: ChannelBoard}, true},
		{domain.RoleCoordinator, Facts{Channel: ChannelCoordination}, true},
		{domain.RoleCoordinator, Facts{Channel: ChannelPhone}, false},
		{domain.RoleAgent, Facts{Channel: ChannelChat}, true},
		{domain.RoleAgent, Facts{Channel: ChannelPhone}, false},
		{domain.RoleReporter, Facts{Channel: ChannelVisit, Local: true}, true},
		{domain.RoleGridWorker, Facts{Channel: ChannelPatrol, Local: true}, true},
		{domain.RoleReporter, Facts{Channel: ChannelVisit}, false},
		{domain.RoleUnitHandler, Facts{Channel: ChannelPhone}, false},
		{domain.RoleModerator, Facts{Channel: ChannelBoard}, false},
		{domain.RoleSystemAdmin, Facts{Channel: ChannelPhone}, false},
		{domain.RoleAuditAdmin, Facts{Channel: ChannelPhone}, false},
		{domain.RoleEditor, Facts{Channel: ChannelPhone}, false},
	}
	for _, tt := range tests {
		_, err := Check(Party{Roles: []domain.Role{tt.role}}, tt.facts, ActRegister)
		if got := err == nil; got != tt.want {
			t.Errorf("register by %s on %+v: allowed = %v, want %v (%v)", tt.role, tt.facts, got, tt.want, err)
		}
	}
	if _, err := Check(Party{Citizen: true}, Facts{Channel: ChannelBoard}, ActRegister); err == nil {
		t.Error("citizen may register a case directly")
	}
	if _, err := Check(Party{Roles: []domain.Role{domain.RoleDispatcher}}, Facts{State: Registered, Channel: ChannelPhone}, ActRegister); domain.ErrorKind(err) != domain.KindConflict {
		t.Errorf("register twice: error %v, want conflict", err)
	}
}

func TestAllowedButtons(t *testing.T) {
	lead := Party{Roles: []domain.Role{domain.RoleUnitHandler}, Lead: true}
	got := Allowed(lead, Facts{State: Dispatched, Channel: ChannelBoard})
	want := []Action{ActAcknowledge, ActSendBack}
	if !slices.Equal(got, want) {
		t.Errorf("Allowed(lead, dispatched) = %v, want %v", got, want)
	}
}

func TestCheckMessagesAreChinese(t *testing.T) {
	_, err := Check(Party{Roles: []domain.Role{domain.RoleUnitHandler}, Lead: true}, Facts{State: Closed}, ActResolve)
	if msg := domain.UserMessage(err); !strings.Contains(msg, "已结案") {
		t.Errorf("message %q does not name the state", msg)
	}
}

func TestQueryCode(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 2000; i++ {
		c := NewQueryCode()
		if !ValidQueryCode(c) {
			t.Fatalf("NewQueryCode() = %q, not valid", c)
		}
		if strings.ContainsAny(c, "0O1IL") {
			t.Fatalf("NewQueryCode() = %q has a look-alike character", c)
		}
		seen[c] = true
	}
	if len(seen) < 1990 {
		t.Errorf("only %d distinct codes in 2000", len(seen))
	}
	if got := NormalizeQueryCode(" ab2c-3d4e "); got != "AB2C3D4E" {
		t.Errorf("NormalizeQueryCode = %q", got)
	}
	if ValidQueryCode("AB2C3D40") {
		t.Error("a code with 0 is valid")
	}
}

func TestFormatNumber(t *testing.T) {
	at := bjTime(2026, 9, 30, 23, 30)
	if got := FormatNumber(TownPrefix("", "高桥镇"), at, 7); got != "高桥-20260930-0007" {
		t.Errorf("FormatNumber = %q", got)
	}
	if got := TownPrefix("GQ", "高桥镇"); got != "GQ" {
		t.Errorf("TownPrefix with code = %q", got)
	}
}
