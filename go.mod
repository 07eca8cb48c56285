module forum

go 1.19

require (
	github.com/mattn/go-sqlite3 v1.14.22
	golang.org/x/oauth2 v0.18.0
	cloud.google.com/go/compute/metadata v0.2.3
)

replace github.com/mattn/go-sqlite3 => ../deps/sqlite3
replace golang.org/x/oauth2 => ../deps/oauth2
replace cloud.google.com/go/compute/metadata => ../deps/metadata
