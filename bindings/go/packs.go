package policy

// #include <stdlib.h>
// #include <policy/policy.h>
import "C"

import (
	"encoding/json"
	"unsafe"
)

// Pack is a loaded pack (Engine.Packs).
type Pack struct {
	Name        string
	Version     string
	Description string
	Origin      string // the path it was loaded from
	SHA256      string // an archive's SHA-256 in hex; "" for a folder
	Profile     string // the manifest's profile, or ""
}

// Coverage is a rule's line coverage (Engine.RuleCoverage): Run of Total
// lines ran; Missed names the others ("12, 14-16", "" when none).
type Coverage struct {
	Run, Total int
	Missed     string
}

// LoadPack loads a pack: a folder with pack.yaml, a .tar.gz archive, or a
// rule folder. sha256 ("" for none) is compared with an archive's SHA-256
// before anything in it is read; it is ErrInvalid for a folder.
func (e *Engine) LoadPack(path, sha256 string) error {
	if err := checkString("a path", path); err != nil {
		return err
	}
	if err := checkString("a SHA-256", sha256); err != nil {
		return err
	}
	cp, cs := cString(path), cStringOrNil(sha256)
	defer freeString(cp)
	defer freeString(cs)
	return e.call(func(c *C.policy_engine) C.int { return C.policy_engine_load_pack_path(c, cp, cs) })
}

// BuiltinPacks names the packs compiled into the library ("builtin" first).
func BuiltinPacks() []string {
	var names []string
	for i := C.size_t(0); ; i++ {
		name := C.policy_builtin_pack_name(i)
		if name == nil {
			return names
		}
		names = append(names, C.GoString(name))
	}
}

// Packs lists the loaded packs in load order.
func (e *Engine) Packs() []Pack {
	var packs []Pack
	_ = e.use(func(c *C.policy_engine) error {
		for i, n := C.size_t(0), C.policy_engine_pack_count(c); i < n; i++ {
			field := func(f C.int) string { return goString(C.policy_engine_pack_string(c, i, f)) }
			packs = append(packs, Pack{
				Name: field(C.POLICY_PACK_NAME), Version: field(C.POLICY_PACK_VERSION),
				Description: field(C.POLICY_PACK_DESCRIPTION), Origin: field(C.POLICY_PACK_ORIGIN),
				SHA256: field(C.POLICY_PACK_SHA256), Profile: field(C.POLICY_PACK_PROFILE),
			})
		}
		return nil
	})
	return packs
}

// BuildPack loads the pack folder dir into the engine, writes it to
// outPath as a reproducible .tar.gz archive and returns the archive's
// SHA-256 (what LoadPack checks).
func (e *Engine) BuildPack(dir, outPath string) (string, error) {
	if err := checkString("a path", dir); err != nil {
		return "", err
	}
	if err := checkString("a path", outPath); err != nil {
		return "", err
	}
	cd, co := cString(dir), cString(outPath)
	defer freeString(cd)
	defer freeString(co)
	var sum string
	err := e.use(func(c *C.policy_engine) error {
		var out *C.char
		if err := e.status(C.policy_pack_build(&out, c, cd, co)); err != nil {
			return err
		}
		sum = C.GoString(out)
		C.policy_free(unsafe.Pointer(out))
		return nil
	})
	return sum, err
}

// ruleIndex finds a rule by id or ref (ErrInvalid if none); under the lock.
func (e *Engine) ruleIndex(c *C.policy_engine, idOrRef string) (C.size_t, error) {
	if err := checkString("a rule id", idOrRef); err != nil {
		return 0, err
	}
	cs := cString(idOrRef)
	defer freeString(cs)
	var i C.size_t
	return i, e.status(C.policy_engine_rule_find(&i, c, cs))
}

// SetCoverage turns line coverage on (counting starts from nothing) or off
// (what was counted is forgotten). It needs IsolateNone (ErrUnsupported
// otherwise): lines are counted in this process only.
func (e *Engine) SetCoverage(on bool) error {
	v := C.int(0)
	if on {
		v = 1
	}
	return e.call(func(c *C.policy_engine) C.int { return C.policy_engine_set_coverage(c, v) })
}

// RuleCoverage is a rule's line coverage since SetCoverage(true);
// ErrInvalid when coverage is off or no rule has that id or ref.
func (e *Engine) RuleCoverage(idOrRef string) (Coverage, error) {
	var cov Coverage
	err := e.use(func(c *C.policy_engine) error {
		i, err := e.ruleIndex(c, idOrRef)
		if err != nil {
			return err
		}
		var run, total C.size_t
		var missed *C.char
		if err := e.status(C.policy_engine_rule_coverage(&run, &total, &missed, c, i)); err != nil {
			return err
		}
		cov = Coverage{Run: int(run), Total: int(total), Missed: goString(missed)}
		return nil
	})
	return cov, err
}

// RuleSubjects is how many subjects the engine's checks have run a rule on
// (0 after checks: it matched nothing, often a wrong applies_to).
func (e *Engine) RuleSubjects(idOrRef string) (uint64, error) {
	var n C.uint64_t
	err := e.use(func(c *C.policy_engine) error {
		i, err := e.ruleIndex(c, idOrRef)
		if err != nil {
			return err
		}
		return e.status(C.policy_engine_rule_subjects(&n, c, i))
	})
	return uint64(n), err
}

// Eval evaluates a Lua expression in the rules' sandbox over the document
// (globals document, image, container, request, vulnerability; pack's
// require when pack is not "") and returns its result as JSON.
func (e *Engine) Eval(doc *Document, pack, expr string, positions bool) (json.RawMessage, error) {
	if err := checkString("a pack name", pack); err != nil {
		return nil, err
	}
	if err := checkString("an expression", expr); err != nil {
		return nil, err
	}
	cp, cx := cStringOrNil(pack), cString(expr)
	defer freeString(cp)
	defer freeString(cx)
	var flags C.uint32_t
	if !positions {
		flags |= C.POLICY_JSON_NO_POSITIONS
	}
	var out json.RawMessage
	err := e.use(func(c *C.policy_engine) error {
		return doc.read(func(d *C.policy_document) error {
			var p *C.char
			var n C.size_t
			if err := e.status(C.policy_engine_eval(&p, &n, c, d, cp, cx, flags)); err != nil {
				return err
			}
			out = ownedBytes(p, n)
			return nil
		})
	})
	return out, err
}
