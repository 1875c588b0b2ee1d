package policy

import (
	"context"
	"sync"
)

// Pool hands out engines made with the same options, so that goroutines
// check in parallel without each making its own. Get blocks while every
// engine is out.
type Pool struct {
	engines chan *Engine
	all     []*Engine
	once    sync.Once
}

// NewPool makes size engines with the options.
func NewPool(size int, opts ...Option) (*Pool, error) {
	if size < 1 {
		return nil, invalid("a pool needs at least one engine")
	}
	p := &Pool{engines: make(chan *Engine, size)}
	for i := 0; i < size; i++ {
		e, err := NewEngine(opts...)
		if err != nil {
			p.Close()
			return nil, err
		}
		p.all = append(p.all, e)
		p.engines <- e
	}
	return p, nil
}

// Get takes an engine (waiting for one, or until ctx is done); give it
// back with Put.
func (p *Pool) Get(ctx context.Context) (*Engine, error) {
	select {
	case e := <-p.engines:
		return e, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Put gives an engine back.
func (p *Pool) Put(e *Engine) { p.engines <- e }

// Check checks a document with an engine of the pool.
func (p *Pool) Check(ctx context.Context, doc *Document) (*Report, error) {
	e, err := p.Get(ctx)
	if err != nil {
		return nil, err
	}
	defer p.Put(e)
	return e.CheckContext(ctx, doc)
}

// Close closes every engine; the pool must not be used afterwards.
func (p *Pool) Close() {
	p.once.Do(func() {
		for _, e := range p.all {
			e.Close()
		}
	})
}
