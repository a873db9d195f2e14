package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
)

// table prints one measurement's rows, aligned, under a title.
type table struct {
	tw *tabwriter.Writer
	b  *bench
}

func (b *bench) table(title string, columns ...string) *table {
	fmt.Fprintf(b.out, "\n%s\n", title)
	t := &table{tw: tabwriter.NewWriter(b.out, 0, 0, 2, ' ', tabwriter.AlignRight), b: b}
	t.row("", columns...)
	return t
}

// row prints the label left-aligned and the cells right-aligned.
func (t *table) row(label string, cells ...string) {
	fmt.Fprintf(t.tw, "  %s\t%s\t\n", label, strings.Join(cells, "\t"))
}

// flush ends the table, followed by note (if any) as a footnote.
func (t *table) flush(note string) {
	t.tw.Flush()
	if note != "" {
		for _, line := range strings.Split(note, "\n") {
			fmt.Fprintf(t.b.out, "  %s\n", line)
		}
	}
}

// ratio records one line of the final block.
func (b *bench) ratio(name, preset, value string) {
	b.ratios = append(b.ratios, fmt.Sprintf("ratio: %s %s %s", name, preset, value))
}

// ratio formats a/b, or "-" when b is zero.
func ratio[T ~int64](a, b T) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f", float64(a)/float64(b))
}

// percent formats how much larger a is than b, in percent.
func percent(a, b int64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%+.2f%%", 100*(float64(a)/float64(b)-1))
}

func seconds(d time.Duration) string {
	return fmt.Sprintf("%.3fs", d.Seconds())
}

// humanBytes formats n in B, KiB, MiB or GiB.
func humanBytes(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.2f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
}

// kib formats a size given in KiB (as rusage and /proc give them).
func kib(n int64) string {
	if n == 0 {
		return "-"
	}
	return humanBytes(n << 10)
}
