package main

import (
	"context"
	"fmt"
	"io"

	"presswatch/internal/config"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

// runSourcesExport is `presswatch sources export`: the configuration
// file's sources and those added in the web UI, as the file's sources:
// list, so the web's can be moved into the file (paste them, then remove
// them in the web UI: the file's id wins at the next start). It reads the
// store only, so it works while serve runs.
func runSourcesExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlags("sources export", "[--config F] [--data DIR] [--web]",
		"Writes the sources as the configuration file's sources: list (YAML): those of\n"+
			"the configuration and those added in the web UI, or with --web only the\n"+
			"latter. Paused sources are written too (a pause is kept in the store).", stdout, stderr)
	c.register(fs, true)
	webOnly := fs.Bool("web", false, "only the sources added in the web UI")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, c.dbPath())
	if err != nil {
		return err
	}
	defer st.Close()
	stored, err := st.Sources(ctx)
	if err != nil {
		return err
	}
	var out []model.Source
	var fromWeb, paused int
	if !*webOnly {
		out = append(out, cfg.Sources...)
	}
	for _, si := range stored {
		if si.Active && si.Origin == model.SourceFromWeb {
			if _, ok := cfg.Source(si.ID); !ok {
				out = append(out, si.Source)
				fromWeb++
			}
		}
		if si.Active && si.Paused {
			paused++
		}
	}
	fmt.Fprintf(stdout, "# presswatch %s: %d sources, %d of them added in the web UI", version, len(out), fromWeb)
	if paused > 0 {
		fmt.Fprintf(stdout, "; %d paused there (a pause is kept in the store, not in this file)", paused)
	}
	fmt.Fprintln(stdout)
	return config.WriteSources(stdout, out)
}
