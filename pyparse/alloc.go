package pyparse

import "sync"

// slab hands out nodes from chunks, replacing one heap allocation per node
// with one per chunk for the node types that dominate real code. A chunk
// lives as long as any node in it, which is as long as the AST.
type slab[T any] struct {
	chunk []T
	size  int
}

// Chunks start small so that short files waste little, and double.
const (
	slabFirstChunk = 2
	slabMaxChunk   = 256
)

func (s *slab[T]) alloc() *T {
	if len(s.chunk) == cap(s.chunk) {
		s.size = min(max(s.size*2, slabFirstChunk), slabMaxChunk)
		s.chunk = make([]T, 0, s.size)
	}
	var zero T
	s.chunk = append(s.chunk, zero)
	return &s.chunk[len(s.chunk)-1]
}

// tokenBuffers recycles token slices: tokens are dropped once a file is
// parsed (the AST keeps offsets only), so one buffer serves file after file.
var tokenBuffers = sync.Pool{New: func() any { return new([]Token) }}

// nameCaches recycles the identifier caches: a stale entry from another
// file is harmless (a hit needs equal text), and zeroing 16 KiB per file
// dominated the cost of parsing many small DATs.
var nameCaches = sync.Pool{New: func() any { return new([nameCacheSize]string) }}

// stacks recycles the parser's statement and expression stacks, which are
// empty (and cleared) between files.
type stacks struct {
	stmts []Stmt
	exprs []Expr
}

var stackPool = sync.Pool{New: func() any { return new(stacks) }}

// nodeSlabs are the parser's per-file allocators.
type nodeSlabs struct {
	names      slab[Name]
	constants  slab[Constant]
	attributes slab[Attribute]
	calls      slab[Call]
	exprStmts  slab[ExprStmt]
	assigns    slab[Assign]
	returns    slab[Return]
	keywords   slab[Keyword]
	binOps     slab[BinOp]
	compares   slab[Compare]
	subscripts slab[Subscript]
	tuples     slab[Tuple]
	ifs        slab[If]
	args       slab[Arg]
	arguments  slab[Arguments]
}

// node allocates v's copy from a slab.
func node[T any](s *slab[T], v T) *T {
	n := s.alloc()
	*n = v
	return n
}

func (p *parser) newName(start, end Pos, id string, ctx ExprContext) *Name {
	n := p.slabs.names.alloc()
	n.Span, n.ID, n.Ctx = Span{start, end}, id, ctx
	return n
}

func (p *parser) newConstant(start, end Pos, v ConstValue) *Constant {
	c := p.slabs.constants.alloc()
	c.Span, c.Value = Span{start, end}, v
	return c
}
