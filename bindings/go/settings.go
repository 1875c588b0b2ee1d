package policy

// #include <stdlib.h>
// #include <policy/policy.h>
//
// /* Calls of one shape through a function pointer, so that a function of
// ** policy.h of that shape reaches Go in one line (see callString). */
// typedef int (*bridge_string_fn)(policy_engine *, const char *);
// static int bridge_string(bridge_string_fn fn, policy_engine *e, const char *s) { return fn(e, s); }
// typedef int (*bridge_buffer_fn)(policy_engine *, const char *, const char *, size_t);
// static int bridge_buffer(bridge_buffer_fn fn, policy_engine *e, const char *name,
//                          const char *text, size_t len) { return fn(e, name, text, len); }
import "C"

// ---- engine settings of one shape: one line each -------------------------
//
// A function of policy.h taking (policy_engine *, const char *) becomes a
// method in one line:
//
//	func (e *Engine) X(s string) error { return e.callString("X", C.bridge_string_fn(C.policy_x), s) }
//
// and one taking (policy_engine *, const char *name, const char *text,
// size_t len) likewise with callBuffer.

// LoadRules loads a rule file, or every *.lua file of a folder.
func (e *Engine) LoadRules(path string) error {
	return e.callString("a path", C.bridge_string_fn(C.policy_engine_load_rules), path)
}

// LoadData loads a data document (YAML, or JSON by its .json name), which
// rules read as `data`.
func (e *Engine) LoadData(path string) error {
	return e.callString("a path", C.bridge_string_fn(C.policy_engine_load_data), path)
}

// LoadConfig applies a configuration file (.policy.yaml).
func (e *Engine) LoadConfig(path string) error {
	return e.callString("a path", C.bridge_string_fn(C.policy_engine_load_config), path)
}

// Ignore skips a rule by id or by a ref (a hadolint code, a CIS number).
func (e *Engine) Ignore(idOrRef string) error {
	return e.callString("a rule id", C.bridge_string_fn(C.policy_engine_ignore), idOrRef)
}

// SetTarget chooses the stage that counts as final (docker build
// --target); "" restores the last stage.
func (e *Engine) SetTarget(stage string) error {
	return e.callString("", C.bridge_string_fn(C.policy_engine_set_target), stage)
}

// SetEnvFile chooses the file of Compose variables instead of the
// project's .env (docker compose --env-file); "" restores .env.
func (e *Engine) SetEnvFile(path string) error {
	return e.callString("", C.bridge_string_fn(C.policy_engine_set_env_file), path)
}

// SetProfile chooses which loaded rules run: "default", "strict" (adds
// hardening) or "all"; an unknown name is an error and the engine keeps
// its profile.
func (e *Engine) SetProfile(name string) error {
	return e.callString("a profile", C.bridge_string_fn(C.policy_engine_set_profile), name)
}

// Profile is the engine's profile ("default", "strict" or "all").
func (e *Engine) Profile() string {
	var p string
	_ = e.use(func(c *C.policy_engine) error { p = goString(C.policy_engine_profile(c)); return nil })
	return p
}

// LoadBuiltinPack loads a pack compiled into the library by name
// ("builtin", "hadolint": BuiltinPacks); each pack loads once.
func (e *Engine) LoadBuiltinPack(name string) error {
	return e.callString("a pack name", C.bridge_string_fn(C.policy_engine_load_builtin_pack), name)
}

// LoadRule loads one rule from its Lua source; name is used in messages.
func (e *Engine) LoadRule(name string, source []byte) error {
	return e.callBuffer(C.bridge_buffer_fn(C.policy_engine_load_rule_buffer), name, source)
}

// LoadDataBuffer loads a data document's text; name names it and its
// ending (.json) picks JSON over YAML.
func (e *Engine) LoadDataBuffer(name string, text []byte) error {
	return e.callBuffer(C.bridge_buffer_fn(C.policy_engine_load_data_buffer), name, text)
}

// LoadConfigBuffer applies a configuration's text; name stands for its
// path (messages, relative paths).
func (e *Engine) LoadConfigBuffer(name string, text []byte) error {
	return e.callBuffer(C.bridge_buffer_fn(C.policy_engine_load_config_buffer), name, text)
}

// callString calls fn(engine, s). A `required` description makes s
// mandatory (never NULL); without one, "" is passed as NULL.
func (e *Engine) callString(required string, fn C.bridge_string_fn, s string) error {
	if err := checkString("a string", s); err != nil {
		return err
	}
	var cs *C.char
	if required != "" {
		cs = cString(s)
	} else {
		cs = cStringOrNil(s)
	}
	defer freeString(cs)
	return e.call(func(c *C.policy_engine) C.int { return C.bridge_string(fn, c, cs) })
}

func (e *Engine) callBuffer(fn C.bridge_buffer_fn, name string, text []byte) error {
	if err := checkString("a name", name); err != nil {
		return err
	}
	cs := cString(name)
	defer freeString(cs)
	return e.call(func(c *C.policy_engine) C.int {
		return C.bridge_buffer(fn, c, cs, bytesPointer(text), C.size_t(len(text)))
	})
}

// ---- other settings ----------------------------------------------------------

// SetLimit sets a limit (every limit is at least 1).
func (e *Engine) SetLimit(limit Limit, value uint64) error {
	return e.call(func(c *C.policy_engine) C.int {
		return C.policy_engine_set_limit(c, C.int(limit), C.uint64_t(value))
	})
}

// Limit reads a limit.
func (e *Engine) Limit(limit Limit) (uint64, error) {
	var v C.uint64_t
	err := e.call(func(c *C.policy_engine) C.int { return C.policy_engine_get_limit(&v, c, C.int(limit)) })
	return uint64(v), err
}

// SetIsolation chooses where rules run.
func (e *Engine) SetIsolation(mode Isolation) error {
	return e.call(func(c *C.policy_engine) C.int { return C.policy_engine_set_isolation(c, C.int(mode)) })
}

// Isolation is where rules run.
func (e *Engine) Isolation() Isolation {
	var m Isolation
	_ = e.use(func(c *C.policy_engine) error { m = Isolation(C.policy_engine_isolation(c)); return nil })
	return m
}

// SetHostAccess chooses what parsing may read from the host besides its
// input: HostNone reads no .env, included, extended or override file, no
// Dockerfile of a build and no environment variable, and each document
// names in a warning what was not read.
func (e *Engine) SetHostAccess(allowed HostAccess) error {
	return e.call(func(c *C.policy_engine) C.int {
		return C.policy_engine_set_host_access(c, C.uint(allowed))
	})
}

// HostAccess is what parsing may read from the host.
func (e *Engine) HostAccess() HostAccess {
	var a HostAccess
	_ = e.use(func(c *C.policy_engine) error { a = HostAccess(C.policy_engine_host_access(c)); return nil })
	return a
}

// SetBuildArg sets a build argument (docker build --build-arg); remove
// drops it instead.
func (e *Engine) SetBuildArg(name, value string, remove bool) error {
	if err := checkString("a build argument", name+value); err != nil {
		return err
	}
	cn := cString(name)
	defer freeString(cn)
	var cv *C.char
	if !remove {
		cv = cString(value)
		defer freeString(cv)
	}
	return e.call(func(c *C.policy_engine) C.int { return C.policy_engine_set_build_arg(c, cn, cv) })
}

// ---- options of NewEngine ----------------------------------------------------

// Option is a setting NewEngine applies.
type Option func(*settings)

type settings struct {
	builtin    *bool
	policies   []string
	data       []string
	buffers    [][2]string // data documents from memory: name, text
	rules      [][2]string // rules from memory: name, source
	limits     []limitValue
	config     string
	ignore     []string
	isolation  *Isolation
	hostAccess *HostAccess
	buildArgs  [][2]string
	target     string
	envFile    string
	profile    string
}

type limitValue struct {
	limit Limit
	value uint64
}

// WithBuiltin loads the built-in pack or not (default: as a configuration
// says, else yes).
func WithBuiltin(load bool) Option { return func(s *settings) { s.builtin = &load } }

// WithPolicies loads rule files or folders.
func WithPolicies(paths ...string) Option {
	return func(s *settings) { s.policies = append(s.policies, paths...) }
}

// WithRule loads a rule from its source.
func WithRule(name, source string) Option {
	return func(s *settings) { s.rules = append(s.rules, [2]string{name, source}) }
}

// WithData loads data documents from files.
func WithData(paths ...string) Option {
	return func(s *settings) { s.data = append(s.data, paths...) }
}

// WithDataBuffer loads a data document from memory (name ending in .json:
// JSON, else YAML).
func WithDataBuffer(name, text string) Option {
	return func(s *settings) { s.buffers = append(s.buffers, [2]string{name, text}) }
}

// WithLimit sets a limit.
func WithLimit(limit Limit, value uint64) Option {
	return func(s *settings) { s.limits = append(s.limits, limitValue{limit, value}) }
}

// WithConfig applies a configuration file.
func WithConfig(path string) Option { return func(s *settings) { s.config = path } }

// WithIgnore skips rules by id or ref.
func WithIgnore(idsOrRefs ...string) Option {
	return func(s *settings) { s.ignore = append(s.ignore, idsOrRefs...) }
}

// WithIsolation chooses where rules run.
func WithIsolation(mode Isolation) Option { return func(s *settings) { s.isolation = &mode } }

// WithHostAccess chooses what parsing may read from the host.
func WithHostAccess(allowed HostAccess) Option {
	return func(s *settings) { s.hostAccess = &allowed }
}

// WithBuildArg sets a build argument.
func WithBuildArg(name, value string) Option {
	return func(s *settings) { s.buildArgs = append(s.buildArgs, [2]string{name, value}) }
}

// WithTarget chooses the final stage.
func WithTarget(stage string) Option { return func(s *settings) { s.target = stage } }

// WithEnvFile chooses the Compose env file.
func WithEnvFile(path string) Option { return func(s *settings) { s.envFile = path } }

// WithProfile chooses the rules' profile ("default", "strict", "all"),
// over what a configuration says.
func WithProfile(name string) Option { return func(s *settings) { s.profile = name } }

func (s *settings) apply(e *Engine) error {
	for _, l := range s.limits {
		if err := e.SetLimit(l.limit, l.value); err != nil {
			return err
		}
	}
	if s.isolation != nil {
		if err := e.SetIsolation(*s.isolation); err != nil {
			return err
		}
	}
	if s.hostAccess != nil {
		if err := e.SetHostAccess(*s.hostAccess); err != nil {
			return err
		}
	}
	if s.config != "" {
		if err := e.LoadConfig(s.config); err != nil {
			return err
		}
	}
	if s.profile != "" {
		if err := e.SetProfile(s.profile); err != nil {
			return err
		}
	}
	builtin := true
	var packs []string
	if s.builtin != nil {
		builtin = *s.builtin
	} else if packs = e.ConfigPacks(); len(packs) > 0 {
		builtin = false // the configuration's packs replace the default one
	} else if b, set := e.ConfigBuiltin(); set {
		builtin = b
	}
	if builtin {
		if err := e.call(func(c *C.policy_engine) C.int { return C.policy_engine_load_builtin(c) }); err != nil {
			return err
		}
	}
	for _, name := range packs {
		if err := e.LoadBuiltinPack(name); err != nil {
			return err
		}
	}
	for _, p := range s.policies {
		if err := e.LoadRules(p); err != nil {
			return err
		}
	}
	for _, r := range s.rules {
		if err := e.LoadRule(r[0], []byte(r[1])); err != nil {
			return err
		}
	}
	for _, p := range s.data {
		if err := e.LoadData(p); err != nil {
			return err
		}
	}
	for _, b := range s.buffers {
		if err := e.LoadDataBuffer(b[0], []byte(b[1])); err != nil {
			return err
		}
	}
	for _, id := range s.ignore {
		if err := e.Ignore(id); err != nil {
			return err
		}
	}
	for _, a := range s.buildArgs {
		if err := e.SetBuildArg(a[0], a[1], false); err != nil {
			return err
		}
	}
	if s.target != "" {
		if err := e.SetTarget(s.target); err != nil {
			return err
		}
	}
	if s.envFile != "" {
		return e.SetEnvFile(s.envFile)
	}
	return nil
}
