package casework

import (
	"time"

	"pingan/internal/domain"
)

func bjTime(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, domain.Shanghai)
}
