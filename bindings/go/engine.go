package policy

// #include <stdlib.h>
// #include <policy/policy.h>
import "C"

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Engine holds settings, the loaded rules and data, and the sandbox the
// rules run in. Its methods take its lock: one call at a time (see the
// package documentation for goroutines).
type Engine struct {
	mu   sync.Mutex
	c    *C.policy_engine
	stop *cancelFlag // never changes, so Cancel needs no lock
}

// cancelFlag is the C int the library reads during checks
// (policy_engine_set_cancel). It is freed by its finalizer, not by
// Engine.Close, so a late Cancel never writes freed memory.
type cancelFlag struct{ p *C.int }

func newCancelFlag() *cancelFlag {
	f := &cancelFlag{(*C.int)(C.calloc(1, C.size_t(unsafe.Sizeof(C.int(0)))))}
	if f.p == nil {
		return nil
	}
	runtime.SetFinalizer(f, func(f *cancelFlag) { C.free(unsafe.Pointer(f.p)) })
	return f
}

func (f *cancelFlag) set(v int32) { atomic.StoreInt32((*int32)(unsafe.Pointer(f.p)), v) }

// NewEngine makes an engine and applies the options in this order:
// limits, isolation, host access, configuration, the built-in pack
// (unless WithBuiltin(false), or a configuration saying builtin: false;
// a configuration's packs list loads those built-in packs instead),
// rules, data, ignores, build arguments, target, env file.
func NewEngine(opts ...Option) (*Engine, error) {
	var s settings
	for _, o := range opts {
		o(&s)
	}
	e := &Engine{stop: newCancelFlag()}
	if e.stop == nil {
		return nil, ErrNoMemory
	}
	if st := C.policy_engine_new(&e.c); st != C.POLICY_OK {
		return nil, statusError(st, "")
	}
	runtime.SetFinalizer(e, (*Engine).Close)
	if err := e.status(C.policy_engine_set_cancel(e.c, e.stop.p)); err != nil {
		e.Close()
		return nil, err
	}
	if err := s.apply(e); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// Close frees the engine; documents it parsed stay valid. Closing twice is
// fine.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.c != nil {
		C.policy_engine_free(e.c)
		e.c = nil
		runtime.SetFinalizer(e, nil)
	}
	return nil
}

// use runs fn on the C engine under the lock.
func (e *Engine) use(fn func(c *C.policy_engine) error) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.c == nil {
		return invalid("the engine is closed")
	}
	return fn(e.c)
}

// status turns a status of a call on the engine into an error with the
// engine's message (read under the caller's lock).
func (e *Engine) status(st C.int) error {
	if st == C.POLICY_OK {
		return nil
	}
	return statusError(st, goString(C.policy_engine_errmsg(e.c)))
}

// call runs a C call returning a status.
func (e *Engine) call(fn func(c *C.policy_engine) C.int) error {
	return e.use(func(c *C.policy_engine) error { return e.status(fn(c)) })
}

// ---- checking --------------------------------------------------------------

// Check runs every loaded rule over the document into a new report.
func (e *Engine) Check(doc *Document) (*Report, error) {
	return e.CheckContext(context.Background(), doc)
}

// CheckContext is Check that stops when ctx is done: the error is then
// ErrCancelled (wrapping ctx.Err()) and the report holds what the rules
// that ran found, with an error entry saying the check was cancelled.
func (e *Engine) CheckContext(ctx context.Context, doc *Document) (*Report, error) {
	r, err := NewReport()
	if err != nil {
		return nil, err
	}
	return r, e.CheckInto(ctx, r, doc)
}

// CheckInto adds what the rules find in the document to an existing
// report (one report for several documents).
func (e *Engine) CheckInto(ctx context.Context, r *Report, doc *Document) error {
	return e.use(func(c *C.policy_engine) error {
		return r.change(func(rc *C.policy_report) error {
			return doc.read(func(dc *C.policy_document) error {
				e.stop.set(0)
				stop, exited := make(chan struct{}), make(chan struct{})
				go func() {
					defer close(exited)
					select {
					case <-ctx.Done():
						e.Cancel()
					case <-stop:
					}
				}()
				st := C.policy_check(rc, c, dc)
				close(stop)
				<-exited
				err := e.status(st)
				if st == C.POLICY_ERR_CANCELLED {
					err.(*Error).cause = ctx.Err()
				}
				return err
			})
		})
	})
}

// Cancel stops the check the engine is running, from any goroutine (the
// check returns ErrCancelled). It does nothing when no check runs; the
// next check starts afresh.
func (e *Engine) Cancel() { e.stop.set(1) }

// ---- decisions ---------------------------------------------------------------
// The decision API (issue 14) goes here: (*Engine).Decide(doc) over
// policy_decide, returning a Decision.
