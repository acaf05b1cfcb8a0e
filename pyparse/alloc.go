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

// getTokens takes a token buffer from tokenBuffers; give it back with
// putTokens.
func getTokens() *[]Token {
	if buf, ok := tokenBuffers.Get().(*[]Token); ok {
		return buf
	}
	return new([]Token)
}

// putTokens returns a buffer, emptied, holding the scanner's tokens.
func putTokens(buf *[]Token, tokens []Token) {
	*buf = tokens[:0]
	tokenBuffers.Put(buf)
}

// getNames takes an identifier cache from nameCaches; give it back with
// nameCaches.Put.
func getNames() *[nameCacheSize]string {
	if names, ok := nameCaches.Get().(*[nameCacheSize]string); ok {
		return names
	}
	return new([nameCacheSize]string)
}

// stacks recycles the parser's statement and expression stacks, which are
// empty (and cleared) between files.
type stacks struct {
	stmts []Stmt
	exprs []Expr
}

var stackPool = sync.Pool{New: func() any { return new(stacks) }}

// An Arena holds the allocators of many parses, so that files parsed one
// after another share chunks: a chunk is filled by the next file instead of
// being left part-empty at the end of each (a third of a short file's
// node memory). Every AST parsed with an arena lives as long as any of
// them: use one for a batch of files that are kept together (a check of a
// project), not for a file that is parsed again and again (an editor's).
// An Arena is not safe for concurrent use: give each goroutine its own.
type Arena struct {
	nodes nodeSlabs
}

// NewArena returns an empty arena.
func NewArena() *Arena {
	return &Arena{nodes: nodeSlabs{lists: true}}
}

// nodeSlabs are the parser's allocators: a file's own, or an arena's.
type nodeSlabs struct {
	// lists is set for an arena's slabs: node lists come from chunks too
	// (per file, the half-empty last chunk would cost more than it saves).
	lists    bool
	exprList slab[Expr]
	stmtList slab[Stmt]

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

// list returns a slice of n elements from s, at full capacity so that an
// append never writes into its neighbour.
func (s *slab[T]) list(n int) []T {
	if n > listChunk/4 {
		return make([]T, n)
	}
	if cap(s.chunk)-len(s.chunk) < n {
		s.chunk = make([]T, 0, listChunk)
	}
	i := len(s.chunk)
	s.chunk = s.chunk[:i+n]
	return s.chunk[i : i+n : i+n]
}

// listChunk is the length of a list chunk.
const listChunk = 4096

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
