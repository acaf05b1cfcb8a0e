package runtime

import (
	"reflect"

	"github.com/go-python/gpython/ast"
)

var astPkg = reflect.TypeFor[ast.Module]().PkgPath()

// treeDeeper reports whether gpython's syntax tree under root nests more
// than limit nodes deep. It walks without recursing (the point is to look
// at trees too deep for recursion), and by reflection, following the
// fields of gpython's node types and nothing else.
func treeDeeper(root ast.Ast, limit int) bool {
	type item struct {
		v     reflect.Value
		depth int
	}
	stack := []item{{reflect.ValueOf(root), 0}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		v := it.v
		for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
			if v.IsNil() {
				break
			}
			v = v.Elem()
		}
		switch v.Kind() {
		case reflect.Slice:
			for i := range v.Len() {
				stack = append(stack, item{v.Index(i), it.depth})
			}
		case reflect.Struct:
			if v.Type().PkgPath() != astPkg {
				continue
			}
			if it.depth >= limit {
				return true
			}
			for i := range v.NumField() {
				if f := v.Field(i); v.Type().Field(i).IsExported() {
					stack = append(stack, item{f, it.depth + 1})
				}
			}
		default:
			// A name, a number, a constant's value: a leaf.
		}
	}
	return false
}
