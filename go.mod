module github.com/tdlint/tdlint

go 1.26
