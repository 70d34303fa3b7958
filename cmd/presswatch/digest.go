package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"strings"
	"time"

	"presswatch/internal/config"
	"presswatch/internal/digest"
	"presswatch/internal/mail"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

func runDigest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlags("digest", "--topic ID [--date YYYY-MM-DD | --since DUR] [--format html|md|text|json] [--config F] [--data DIR]",
		"Prints a topic's digest: the articles first seen in the period, one story once\n"+
			"however many sites carried it (the earliest copy leads, the most widely carried\n"+
			"first), stories continuing an earlier digest marked, and the sources that failed\n"+
			"in the period. The period is a calendar day in the deployment's time zone\n"+
			"(digests.time_zone, default Asia/Almaty): --date, by default yesterday; or the\n"+
			"last --since DUR (24h, 90m, 7d). --store keeps it under /digests as the daily\n"+
			"schedule does; --send also sends it by mail (smtp: in the configuration), once.", stdout, stderr)
	c.register(fs, true)
	topicID := fs.String("topic", "", "the topic's `id` (presswatch sources shows none; see /topics or the configuration)")
	day := fs.String("date", "", "the `day` (YYYY-MM-DD, in the deployment's time zone); default yesterday")
	since := fs.String("since", "", "instead of a day, the last `DUR` (24h, 90m, 7d)")
	format := fs.String("format", "text", "output `format`: "+strings.Join(digest.Formats, ", "))
	lang := fs.String("lang", "", "the digest's `language`: en or ru; default digests.language")
	keep := fs.Bool("store", false, "store the digest (the web UI shows it; edits and sending start from it)")
	send := fs.Bool("send", false, "store the digest and send it by mail; a digest sent before is not sent again")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case *topicID == "":
		return fmt.Errorf("%w: --topic is required", errUsage)
	case *day != "" && *since != "":
		return fmt.Errorf("%w: give --date or --since, not both", errUsage)
	case !slices.Contains(digest.Formats, *format):
		return fmt.Errorf("%w: --format %q: want one of %s", errUsage, *format, strings.Join(digest.Formats, ", "))
	case *since != "" && (*keep || *send):
		return fmt.Errorf("%w: --store and --send keep a day's digest; they do not go with --since", errUsage)
	case *lang != "" && *lang != "en" && *lang != "ru":
		return fmt.Errorf("%w: --lang %q: want en or ru", errUsage, *lang)
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	loc := cfg.Digests.Zone
	var p digest.Period
	switch {
	case *since != "":
		d, err := digest.ParseSpan(*since)
		if err != nil {
			return fmt.Errorf("%w: --since: %v", errUsage, err)
		}
		if p, err = digest.Since(time.Now(), d, loc); err != nil {
			return fmt.Errorf("%w: --since: %v", errUsage, err)
		}
	case *day != "":
		if p, err = digest.Day(*day, loc); err != nil {
			return fmt.Errorf("%w: --date: %v", errUsage, err)
		}
	default:
		p = digest.Yesterday(time.Now(), loc)
	}
	// The store alone: a serve holding the index may be running.
	st, err := store.Open(ctx, c.dbPath())
	if err != nil {
		return err
	}
	defer st.Close()
	if *keep || *send {
		if err := refuseReadOnly(c.data, st.ReadOnly()); err != nil {
			return err
		}
	}
	topic, err := findTopic(ctx, st, *topicID)
	if err != nil {
		return err
	}
	svc, err := digestService(cfg, st, c.logger(stderr), "")
	if err != nil {
		return err
	}
	if *lang != "" {
		svc.Lang = *lang
	}
	var d *digest.Digest
	if *keep || *send {
		row, err := svc.Make(ctx, topic, p)
		if errors.Is(err, store.ErrDigestSent) {
			fmt.Fprintf(stderr, "the digest of %s for %s was sent on %s; printing the version sent\n", topic.ID, p.Day, row.SentAt.Format(time.RFC3339))
		} else if err != nil {
			return err
		}
		if *send {
			switch err := svc.Send(ctx, row, false); {
			case errors.Is(err, digest.ErrNotClaimed):
				fmt.Fprintf(stderr, "not sent: %v\n", err)
			case err != nil:
				return fmt.Errorf("sending the digest of %s for %s: %w (it is stored, marked unsent)", topic.ID, p.Day, err)
			default:
				fmt.Fprintf(stderr, "sent to %s\n", strings.Join(svc.Mail.To, ", "))
			}
			if row, err = st.Digest(ctx, topic.ID, p.Day); err != nil {
				return err
			}
		}
		if d, err = digest.Edited(row); err != nil {
			return err
		}
	} else if d, err = digest.Build(ctx, st, topic, p, digest.Options{Base: svc.Base}); err != nil {
		return err
	}
	b, err := digest.Render(d, *format, svc.Lang)
	if err != nil {
		return err
	}
	_, err = stdout.Write(b)
	return err
}

// findTopic returns a stored topic (the configuration's, synced by the
// last start, or one made in the web UI).
func findTopic(ctx context.Context, st *store.Store, id string) (model.Topic, error) {
	topics, err := st.Topics(ctx)
	if err != nil {
		return model.Topic{}, err
	}
	var ids []string
	for _, t := range topics {
		if t.ID == id {
			return t, nil
		}
		ids = append(ids, t.ID)
	}
	if len(ids) == 0 {
		return model.Topic{}, fmt.Errorf("%w: no topic %q: the store has no topics yet (run serve or crawl once with the configuration)", errUsage, id)
	}
	return model.Topic{}, fmt.Errorf("%w: no topic %q (known: %s)", errUsage, id, strings.Join(ids, ", "))
}

// digestService is the digests' service over the store, from the
// configuration. listen is the address serve listens on, for links when
// no base_url is configured.
func digestService(cfg *config.Config, st *store.Store, log *slog.Logger, listen string) (*digest.Service, error) {
	base := cfg.Digests.BaseURL
	if base == "" {
		host, port, err := net.SplitHostPort(cmp.Or(listen, "127.0.0.1:8080"))
		if ip := net.ParseIP(host); err == nil && (ip == nil || ip.IsUnspecified()) {
			host = "127.0.0.1" // listening on every address: this machine's is one of them
		}
		base = "http://" + net.JoinHostPort(host, port)
	}
	svc := &digest.Service{Store: st, Lang: cfg.Digests.Lang, Base: base, Zone: cfg.Digests.Zone, Log: log}
	if s := cfg.SMTP; s != nil {
		svc.Mail = &mail.Config{Host: s.Host, Port: s.Port, Username: s.Username, Password: s.Password,
			From: s.From, To: s.To, Unsubscribe: s.Unsubscribe, TLS: s.TLS}
		if err := svc.Mail.Validate(); err != nil {
			return nil, fmt.Errorf("%s: smtp: %w", cfg.File, err)
		}
	}
	return svc, nil
}
