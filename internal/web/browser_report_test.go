package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"pingan/internal/domain"
)

// fillReport types values into a report form, finding each field by its label.
func (p *coordPerson) fillReport(values map[string]string) {
	p.t.Helper()
	v, _ := json.Marshal(values)
	p.do(fmt.Sprintf(`const vals = %s;
		for (const [label, value] of Object.entries(vals)) {
			const l = [...document.querySelectorAll("label[for^=f]")].find(x => x.textContent.replace("（必填）", "").trim() === label);
			if (!l) throw new Error("no field " + label);
			document.getElementById(l.htmlFor).value = value;
		}`, v))
}

// TestBrowserReportRoundTrip: the center designs a monthly report and assigns it to three
// villages; they submit, one is returned and resubmitted; the aggregate sums are right, and
// the exported .xlsx, read back by excelize and by LibreOffice converting it to CSV, holds the
// exact numbers and texts.
func TestBrowserReportRoundTrip(t *testing.T) {
	eachDB(t, func(t *testing.T, h *coordHarness) {
		b := newCoordBrowser(t)
		center := b.open(h.ts.URL, "coordinator")
		center.signIn("coordinator")

		center.visit("/admin/reports/templates/new", http.StatusOK)
		center.setField("#name", "综治工作月报表")
		center.setField("#description", "每月5日前报送上月情况。")
		if status := center.submit("form[action='/admin/reports/templates'] button[type=submit]"); status != http.StatusOK {
			t.Fatalf("create template: status %d", status)
		}
		designer := js[string](center, "location.pathname")
		for _, f := range monthlyFields {
			add := `form[action$="/fields"] `
			center.setField(add+"[name=section]", f[0])
			center.setField(add+"[name=label]", f[1])
			center.setField(add+"[name=kind]", f[2])
			if f[3] == "1" {
				center.check(add + "[name=required]")
			}
			center.setField(add+"[name=choices]", f[4])
			if status := center.submit(add + "button[type=submit]"); status != http.StatusOK {
				t.Fatalf("add field %s: status %d", f[1], status)
			}
		}
		if n := js[int](center, `document.querySelectorAll(".designer-field[id^=field-]").length`); n != len(monthlyFields) {
			t.Fatalf("designer lists %d fields, want %d", n, len(monthlyFields))
		}
		tid := regexp.MustCompile(`\d+$`).FindString(designer)

		center.visit("/admin/reports/assignments/new?template="+tid, http.StatusOK)
		center.setField("#title", "综治工作月报")
		center.setField("#period_kind", "monthly")
		center.setField("#start_month", time.Now().In(domain.Shanghai).Format("2006-01"))
		center.setField("#due_day", "5")
		for _, v := range []string{"越丰村", "高桥村", "骑力村"} {
			center.check(fmt.Sprintf("input[name=org][value='%d']", h.orgs[v]))
		}
		if status := center.submit("form[action='/admin/reports/assignments'] button[type=submit]"); status != http.StatusOK {
			t.Fatalf("assign: status %d", status)
		}
		assignment := js[string](center, "location.pathname")

		labels := []string{"排查矛盾纠纷（件）", "调处成功（件）", "刑事、治安案件（起）", "隐患整改率（%）", "工作小结", "总体形势"}
		values := map[string][]string{
			"yuefeng": {"12", "11", "2", "95.5", "=SUM(A1:A3) 扶国桥组调解一起土地纠纷", "平稳"},
			"gaoqiao": {"8", "8", "0", "100", "核实身份证 330483198001011234 一人", "基本平稳"},
			"qili":    {"5", "9", "1", "87.25", "无", "平稳"},
		}
		villages := map[string]*coordPerson{}
		for _, user := range []string{"yuefeng", "gaoqiao", "qili"} {
			p := b.open(h.ts.URL, user)
			p.signIn(user)
			villages[user] = p
			p.visit("/admin/my-reports", http.StatusOK)
			link := js[string](p, `document.querySelector("a[href^='/admin/my-reports/']").getAttribute("href")`)
			p.visit(link, http.StatusOK)
			typed := map[string]string{}
			for i, l := range labels {
				typed[l] = values[user][i]
			}
			p.fillReport(typed)
			if status := p.submit("button[name=action][value=submit]"); status != http.StatusOK {
				t.Fatalf("%s submits: status %d", user, status)
			}
			if s := js[string](p, `document.querySelector("[data-status]").dataset.status`); s != "submitted" {
				t.Fatalf("%s's report is %s after submitting", user, s)
			}
		}

		// 骑力村 claims more disputes settled than found; the center returns it.
		center.visit(assignment, http.StatusOK)
		review := js[string](center, `document.querySelector("tr[data-org='骑力村'] a").getAttribute("href")`)
		center.visit(review, http.StatusOK)
		center.setField("#reason", "调处成功数大于排查数，请核对后重新填报。")
		if status := center.submit("form[action$='/return'] button[type=submit]"); status != http.StatusOK {
			t.Fatalf("return: status %d", status)
		}
		qili := villages["qili"]
		qili.visit(js[string](qili, "location.pathname"), http.StatusOK)
		if s := js[string](qili, `document.querySelector("[data-status]").dataset.status`); s != "returned" {
			t.Fatalf("qili's report is %s, want returned", s)
		}
		qili.fillReport(map[string]string{"调处成功（件）": "4"})
		if status := qili.submit("button[name=action][value=submit]"); status != http.StatusOK {
			t.Fatalf("resubmit: status %d", status)
		}

		center.visit(assignment, http.StatusOK)
		summary := js[[]string](center, `["data-received","data-returned","data-late"].map(a => document.querySelector("["+a+"]").textContent)`)
		if strings.Join(summary, ",") != "3,0,0" {
			t.Errorf("received, returned, late = %v, want 3, 0, 0", summary)
		}
		center.visit(assignment+"/aggregate", http.StatusOK)
		total := js[map[string]string](center, `Object.fromEntries([...document.querySelectorAll("tr[data-row='合计'] td[data-field]")].map(td => [td.dataset.field, td.textContent]))`)
		for label, want := range map[string]string{"排查矛盾纠纷（件）": "25", "调处成功（件）": "23", "刑事、治安案件（起）": "3", "隐患整改率（%）": "282.75"} {
			if total[label] != want {
				t.Errorf("aggregate total of %s = %q, want %s", label, total[label], want)
			}
		}

		res, err := center.cookieClient().Get(h.ts.URL + assignment + "/export.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("export: status %d", res.StatusCode)
		}
		checkExport(t, data)
	})
}

// wantSummary and wantDetail are the rows the export must hold, as LibreOffice and excelize
// show them.
var wantSummary = [][]string{
	{"越丰村", "村（社区）", "1", "12", "11", "2", "95.5"},
	{"高桥村", "村（社区）", "1", "8", "8", "0", "100"},
	{"骑力村", "村（社区）", "1", "5", "4", "1", "87.25"},
	{"小计（村（社区））", "", "3", "25", "23", "3", "282.75"},
	{"合计", "", "3", "25", "23", "3", "282.75"},
}

var wantTexts = []string{"=SUM(A1:A3) 扶国桥组调解一起土地纠纷", "核实身份证 330483198001011234 一人", "基本平稳"}

func checkExport(t *testing.T, data []byte) {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("excelize cannot open the export: %v", err)
	}
	sheets := x.GetSheetList()
	if len(sheets) < 2 || sheets[1] != "明细" {
		t.Fatalf("sheets = %v", sheets)
	}
	rows, _ := x.GetRows(sheets[0])
	checkSummaryRows(t, "excelize", rows)
	detail, _ := x.GetRows("明细")
	checkTexts(t, "excelize", detail)
	for r := range detail {
		for c := range detail[r] {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if f, _ := x.GetCellFormula("明细", cell); f != "" {
				t.Errorf("detail cell %s holds the formula %q", cell, f)
			}
		}
	}

	dir := t.TempDir()
	in := filepath.Join(dir, "export.xlsx")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		t.Fatal(err)
	}
	// UTF-8 (76), comma separated, every sheet into its own file (the last option, -1).
	cmd := exec.Command("libreoffice", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless",
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir", dir, in)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("libreoffice: %v: %s", err, out)
	}
	read := func(sheet string) [][]string {
		f, err := os.Open(filepath.Join(dir, "export-"+sheet+".csv"))
		if err != nil {
			t.Fatalf("LibreOffice wrote no CSV for %s: %v (%s)", sheet, err, out)
		}
		defer f.Close()
		r := csv.NewReader(f)
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	checkSummaryRows(t, "LibreOffice", read(sheets[0]))
	checkTexts(t, "LibreOffice", read("明细"))
}

func checkSummaryRows(t *testing.T, reader string, rows [][]string) {
	t.Helper()
	if len(rows) < 3+len(wantSummary) {
		t.Fatalf("%s reads %d summary rows: %v", reader, len(rows), rows)
	}
	for i, want := range wantSummary {
		got := rows[3+i]
		if len(got) > len(want) {
			got = got[:len(want)]
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s summary row %d = %v, want %v", reader, i+4, got, want)
		}
	}
}

func checkTexts(t *testing.T, reader string, rows [][]string) {
	t.Helper()
	var all []string
	for _, r := range rows {
		all = append(all, r...)
	}
	for _, want := range wantTexts {
		found := false
		for _, cell := range all {
			if cell == want {
				found = true
			}
		}
		if !found {
			t.Errorf("%s detail sheet lacks the text %q exactly as typed", reader, want)
		}
	}
}
