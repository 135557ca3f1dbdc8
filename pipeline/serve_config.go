package pipeline

// ServeConfig configures `earlywarn serve`, the review app. Empty values take the defaults
// noted; the review app validates it (internal/web.Validate).
type ServeConfig struct {
	Addr           string       `mapstructure:"addr" json:"addr"`                       // listen address, default 127.0.0.1:8080
	SessionMinutes int          `mapstructure:"session_minutes" json:"session_minutes"` // idle minutes before a session expires, default 30
	SecureCookies  bool         `mapstructure:"secure_cookies" json:"secure_cookies"`   // mark cookies Secure (behind HTTPS)
	RunAt          string       `mapstructure:"run_at" json:"run_at"`                   // HH:MM in timezone: the server runs the nightly screening daily then; empty for never
	Users          []UserConfig `mapstructure:"users" json:"users"`
}

// UserConfig is one review app user: a name, a role (analyst, leader or admin) and a bcrypt
// hash of the password (earlywarn hash-password makes one).
type UserConfig struct {
	Name         string `mapstructure:"name" json:"name"`
	Role         string `mapstructure:"role" json:"role"`
	PasswordHash string `mapstructure:"password_hash" json:"-"`
}
