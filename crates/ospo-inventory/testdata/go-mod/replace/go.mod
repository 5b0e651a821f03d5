// Synthetic: replace, exclude, retract, toolchain, quoted paths and comments.
module example.com/app

go 1.22

toolchain go1.22.3

require github.com/pkg/errors v0.9.1

require (
	"golang.org/x/text" v0.14.0 // indirect
	github.com/old/lib v1.0.0
	example.com/local v0.0.0
	github.com/pinned/only v1.2.0 // indirect; used by tests
	github.com/pinned/only2 v1.3.0
)

replace github.com/old/lib => github.com/new/lib v1.1.0

replace (
	example.com/local => ../local
	github.com/pinned/only v1.2.0 => github.com/pinned/fork v1.2.1
	github.com/pinned/only2 v9.9.9 => github.com/pinned/fork v9.9.9
)

exclude github.com/pkg/errors v0.9.0

retract (
	v1.0.0 // published by mistake
	[v1.1.0, v1.2.0]
)

tool golang.org/x/tools/cmd/stringer
