package runtime

import (
	"reflect"

	"github.com/go-python/gpython/py"
)

// gpython v0.2.0 prints a list, tuple or dict by recursing into its items
// with no guard: a list that contains itself, or lists nested a million
// deep, overflow the Go stack and kill the process. print() and repr()
// first measure what they are given, without recursing, and raise
// RecursionError where gpython would never come back.

// containerItems are the items repr recurses into, and the container's
// identity (0 for a leaf).
func containerItems(o py.Object) (items []py.Object, id uintptr) {
	switch c := o.(type) {
	case *py.List:
		return c.Items, reflect.ValueOf(c).Pointer()
	case py.Tuple:
		if len(c) == 0 {
			return nil, 0
		}
		return c, reflect.ValueOf(c).Pointer()
	case py.StringDict:
		if len(c) == 0 {
			return nil, 0
		}
		items = make([]py.Object, 0, len(c))
		for _, v := range c {
			items = append(items, v)
		}
		return items, reflect.ValueOf(c).Pointer()
	}
	return nil, 0
}

// checkReprDepth raises RecursionError if printing o would nest deeper
// than limit, or forever. Shared items are measured once, so a structure
// built by doubling (`l = [l, l]` in a loop) costs its size, not its
// number of paths.
func checkReprDepth(o py.Object, limit int) error {
	type frame struct {
		id    uintptr
		items []py.Object
		next  int
	}
	const onPath = -1
	height := map[uintptr]int{} // done: height; onPath: being measured
	items, id := containerItems(o)
	if id == 0 {
		return nil
	}
	stack := []frame{{id: id, items: items}}
	height[id] = onPath
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.next == len(top.items) {
			h := 1
			for _, it := range top.items {
				if _, cid := containerItems(it); cid != 0 {
					h = max(h, height[cid]+1)
				}
			}
			height[top.id] = h
			stack = stack[:len(stack)-1]
			continue
		}
		child := top.items[top.next]
		top.next++
		citems, cid := containerItems(child)
		if cid == 0 {
			continue
		}
		switch h, seen := height[cid]; {
		case seen && h == onPath:
			return py.ExceptionNewf(RecursionError, "maximum recursion depth exceeded while getting the repr of an object (it contains itself; gpython cannot print that)")
		case seen:
			continue
		}
		if len(stack) >= limit {
			return py.ExceptionNewf(RecursionError, "maximum recursion depth exceeded while getting the repr of an object")
		}
		height[cid] = onPath
		stack = append(stack, frame{id: cid, items: citems})
	}
	return nil
}
