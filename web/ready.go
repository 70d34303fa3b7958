package web

import "net/http"

// readyz answers a load balancer or an orchestrator that asks whether to
// send traffic: 503 until the store is open and the index has caught up
// with it (SetReady(true), which serve calls once the catch-up is done),
// then 200. The store is open before New is called, so a Server that
// exists has one.
//
// /healthz says only that the process answers (200 during the catch-up
// too): liveness for the probe that restarts, readiness here.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if !s.ready.Load() {
		writeError(w, http.StatusServiceUnavailable, "starting: the index is catching up with the store")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
