// Package full lists the demo steps of every feature area in the order they load, so that
// `pingan demo`, `pingan serve --demo` and the tests build the same town.
package full

import (
	"pingan/internal/demo"
	"pingan/internal/demo/servicedemo"
)

// Steps are the feature areas' additions to the demo town, in order.
var Steps = []demo.Step{demo.Portal, demo.Coordination, servicedemo.Step}
