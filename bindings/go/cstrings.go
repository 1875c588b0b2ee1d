package policy

// #include <stdlib.h>
// #include <policy/policy.h>
import "C"

import (
	"strings"
	"unsafe"
)

// cString is a C copy of s (free it with freeString); "" is an empty
// string, never NULL.
func cString(s string) *C.char { return C.CString(s) }

// cStringOrNil is NULL for "" (the calls where NULL restores a default).
func cStringOrNil(s string) *C.char {
	if s == "" {
		return nil
	}
	return C.CString(s)
}

func freeString(p *C.char) {
	if p != nil {
		C.free(unsafe.Pointer(p))
	}
}

// checkString refuses strings holding a NUL, which C would cut short.
func checkString(what, s string) error {
	if strings.IndexByte(s, 0) >= 0 {
		return invalid("%s holds a NUL character: %q", what, s)
	}
	return nil
}

// goString is "" for NULL.
func goString(p *C.char) string {
	if p == nil {
		return ""
	}
	return C.GoString(p)
}

// ownedString copies text the library handed over and frees it.
func ownedString(p *C.char, n C.size_t) string {
	if p == nil {
		return ""
	}
	defer C.policy_free(unsafe.Pointer(p))
	return C.GoStringN(p, C.int(n))
}

// ownedBytes is ownedString as bytes.
func ownedBytes(p *C.char, n C.size_t) []byte {
	if p == nil {
		return nil
	}
	defer C.policy_free(unsafe.Pointer(p))
	return C.GoBytes(unsafe.Pointer(p), C.int(n))
}

// bytesPointer is a pointer to the first byte of b for a call that reads
// len(b) bytes and keeps nothing (nil for an empty slice).
func bytesPointer(b []byte) *C.char {
	if len(b) == 0 {
		return nil
	}
	return (*C.char)(unsafe.Pointer(&b[0]))
}

// refTools are the tools rules name equivalents in.
var refTools = []string{"cis", "hadolint", "trivy", "kics", "checkov"}

// splitRefs turns "a, b" into [a b].
func splitRefs(s string) []string {
	var out []string
	for _, r := range strings.Split(s, ",") {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, r)
		}
	}
	return out
}
