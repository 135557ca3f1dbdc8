package web

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/earlywarn/earlywarn/internal/review"
	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/rules"
)

// Defaults of the serve keys left empty.
const (
	DefaultAddr           = "127.0.0.1:8080"
	DefaultSessionMinutes = 30
)

// Validate checks the serve section of a config: every problem at once, each naming its key.
func Validate(c pipeline.ServeConfig) error {
	var errs []error
	field := func(key, format string, args ...any) {
		errs = append(errs, &rules.FieldError{Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	if c.SessionMinutes < 0 || c.SessionMinutes > 24*60 {
		field("serve.session_minutes", "must be between 1 and 1440 (0 for the default %d), got %d", DefaultSessionMinutes, c.SessionMinutes)
	}
	if c.RunAt != "" {
		if _, err := time.Parse("15:04", c.RunAt); err != nil {
			field("serve.run_at", "%q is not a time of day HH:MM such as 02:30", c.RunAt)
		}
	}
	if len(c.Users) == 0 {
		field("serve.users", "no users: add at least one with name, role and password_hash (earlywarn hash-password makes the hash)")
	}
	seen := map[string]bool{}
	for i, u := range c.Users {
		key := fmt.Sprintf("serve.users[%d]", i)
		switch {
		case u.Name == "" || len(u.Name) > 64:
			field(key+".name", "must be 1 to 64 bytes")
		case seen[u.Name]:
			field(key+".name", "user %q appears twice", u.Name)
		}
		seen[u.Name] = true
		if !slices.Contains(review.Roles, u.Role) {
			field(key+".role", "%q is not a role; use analyst, leader or admin", u.Role)
		}
		if _, err := bcrypt.Cost([]byte(u.PasswordHash)); err != nil {
			field(key+".password_hash", "is not a bcrypt hash (%v); make one with earlywarn hash-password", err)
		}
	}
	return errors.Join(errs...)
}
