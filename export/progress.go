package export

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Bar draws an export's progress on one terminal line, redrawn in place at
// most every Every (default 200ms). Use it only when W is a terminal:
// piped into a file the redraws would be noise.
type Bar struct {
	W     io.Writer
	Every time.Duration
	// Width is the number of cells of the bar itself; default 30.
	Width int

	last  time.Time
	drawn bool
}

// Update redraws the bar for p, unless it was drawn less than Every ago.
// It is an [Options.Progress] function.
func (b *Bar) Update(p Progress) {
	every := b.Every
	if every == 0 {
		every = 200 * time.Millisecond
	}
	now := time.Now()
	if b.drawn && now.Sub(b.last) < every {
		return
	}
	b.last, b.drawn = now, true
	fmt.Fprint(b.W, "\r\x1b[K"+b.Line(p))
}

// Clear erases the bar's line, if it was drawn, so that a summary line can
// take its place.
func (b *Bar) Clear() {
	if b.drawn {
		fmt.Fprint(b.W, "\r\x1b[K")
		b.drawn = false
	}
}

// Line is the text of the bar for p:
// "[=========>          ] 45%  4500/10000 deals  9120 rows  2.1 MiB  3.2s".
func (b *Bar) Line(p Progress) string {
	width := b.Width
	if width <= 0 {
		width = 30
	}
	frac := 1.0
	if p.Total > 0 {
		frac = min(1, float64(p.Read)/float64(p.Total))
	}
	full := int(frac * float64(width))
	bar := strings.Repeat("=", full)
	if full < width {
		bar += ">" + strings.Repeat(" ", width-full-1)
	}
	return fmt.Sprintf("[%s] %3.0f%%  %d/%d deals  %d rows  %s  %s",
		bar, frac*100, p.Read, p.Total, p.Written, formatBytes(p.Bytes), p.Elapsed.Round(100*time.Millisecond))
}
