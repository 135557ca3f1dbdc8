package web

// WatchCompare makes s call watch with every hash a sign-in compares a password against, then
// compare as before.
func WatchCompare(s *Server, watch func(hash []byte)) {
	compare := s.compare
	s.compare = func(hash, password []byte) error {
		watch(hash)
		return compare(hash, password)
	}
}
