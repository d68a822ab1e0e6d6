package web

import (
	"sync"
	"testing"
)

// TestViewCounterLosesNothing adds views from many goroutines while others take the counts, as
// the flush job does, and checks that every view is either taken or still pending.
func TestViewCounterLosesNothing(t *testing.T) {
	c := newViewCounter()
	const readers, views = 16, 2000
	var wg sync.WaitGroup
	var mu sync.Mutex
	taken := map[int64]int64{}
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			select {
			case <-done:
				return
			default:
			}
			counts := c.take()
			if len(counts)%3 == 0 {
				// A failed flush gives its counts back.
				c.giveBack(counts)
				continue
			}
			mu.Lock()
			for id, n := range counts {
				taken[id] += n
			}
			mu.Unlock()
		}
	}()
	for r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range views {
				c.add(int64(1 + (r+i)%5))
			}
		}()
	}
	wg.Wait()
	close(done)
	<-stopped
	var total int64
	mu.Lock()
	for id, n := range c.take() {
		taken[id] += n
	}
	for _, n := range taken {
		total += n
	}
	mu.Unlock()
	if total != readers*views {
		t.Errorf("counted %d views, want %d", total, readers*views)
	}
}
