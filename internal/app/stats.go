package app

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"pingan/internal/config"
	"pingan/internal/domain"
	"pingan/internal/stats"
)

// statsSources are the feature areas' figures, in order.
var statsSources = []stats.Source{
	stats.Portal,
	stats.Coordination,
	stats.Service,
	stats.Checks,
}

func runStats(ctx context.Context, args []string, cio IO) error {
	fs := newFlags("stats", cio)
	finish := config.Flags(fs, cio.Env)
	from := fs.String("from", "", "first day, YYYY-MM-DD, Beijing time (default: 6 months before --to)")
	to := fs.String("to", "", "last day, YYYY-MM-DD, Beijing time (default: today)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := finish()
	if err != nil {
		return usageError{err.Error()}
	}
	now := time.Now().In(domain.Shanghai)
	p := stats.Period{To: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, domain.Shanghai)}
	if *to != "" {
		if p.To, err = domain.ParseDate(*to); err != nil {
			return usageError{fmt.Sprintf("invalid --to %q: want YYYY-MM-DD", *to)}
		}
	}
	p.From = p.To.AddDate(0, -6, 1)
	if *from != "" {
		if p.From, err = domain.ParseDate(*from); err != nil {
			return usageError{fmt.Sprintf("invalid --from %q: want YYYY-MM-DD", *from)}
		}
	}
	if p.To.Before(p.From) {
		return usageError{"--to is before --from"}
	}
	e, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer e.Close()
	town, err := e.db.FirstTown(ctx)
	if err != nil {
		return usageError{domain.UserMessage(err)}
	}
	figs, err := stats.Compute(ctx, e.db, town.ID, p, statsSources)
	if err != nil {
		return err
	}
	figs["town"] = town.Name
	if *asJSON {
		enc := json.NewEncoder(cio.Stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(figs)
	}
	keys := make([]string, 0, len(figs))
	for k := range figs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(cio.Stdout, "%-40s %v\n", k, figs[k])
	}
	return nil
}
