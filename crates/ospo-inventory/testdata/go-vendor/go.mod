// Synthetic: the go.mod beside the vendor folder; vendor/modules.txt is synthetic too (that format has no comments).
module example.com/app

go 1.22

require (
	github.com/pkg/errors v0.9.1
	golang.org/x/text v0.14.0 // indirect
	github.com/old/lib v1.0.0
	example.com/local v0.0.0
	github.com/google/uuid v1.6.0
)

require golang.org/x/sys v0.18.0 // indirect

replace github.com/old/lib => github.com/new/lib v1.1.0

replace example.com/local => ./local
