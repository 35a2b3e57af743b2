package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// figure is one measured value.
type figure struct {
	name  string
	value float64
	unit  string
	ratio float64 // to the figure's ceiling; 0 when it has none
	note  string
	// ceilings names the figures this one is compared with: the ratio is
	// to the first, and the note gives the ratio to each of the others.
	ceilings []string
}

// applyCeilings sets the ratio of every figure that names its ceilings.
// A latency (ms) is better lower, so its ratio is the ceiling's divided by
// it: 1.0 means as fast as the ceiling, whatever the unit.
func applyCeilings(figs []figure) error {
	byName := map[string]figure{}
	for _, f := range figs {
		byName[f.name] = f
	}
	for i, f := range figs {
		for j, name := range f.ceilings {
			c, ok := byName[name]
			if !ok || c.value <= 0 || f.value <= 0 {
				return fmt.Errorf("%s: no ceiling %s measured", f.name, name)
			}
			r := f.value / c.value
			if f.unit == "ms" {
				r = c.value / f.value
			}
			if j == 0 {
				figs[i].ratio = r
				continue
			}
			if figs[i].note != "" {
				figs[i].note += "; "
			}
			figs[i].note += fmt.Sprintf("%.2f of %s", r, name)
		}
	}
	return nil
}

func report(out io.Writer, machine string, figs []figure) {
	fmt.Fprintln(out, machine)
	fmt.Fprintf(out, "%-34s %14s %-8s %7s  %s\n", "figure", "value", "unit", "ratio", "note")
	for _, f := range figs {
		ratio := ""
		if f.ratio != 0 {
			ratio = decimals(f.ratio, 2)
		}
		fmt.Fprintf(out, "%-34s %14s %-8s %7s  %s\n", f.name, decimals(f.value, 1), f.unit, ratio, f.note)
	}
	for _, f := range figs {
		if f.unit == "" { // a note, such as a part that was skipped
			continue
		}
		line := fmt.Sprintf("BENCH name=%s value=%s unit=%s", f.name, decimals(f.value, 1), f.unit)
		if f.ratio != 0 {
			line += " ratio=" + decimals(f.ratio, 3)
		}
		fmt.Fprintln(out, line)
	}
}

// decimals formats v with at least least decimals and, below 1, enough more
// for two significant digits: a 0.08 ms latency or a ratio of 0.001 must
// not print as 0.
func decimals(v float64, least int) string {
	d := least
	if a := math.Abs(v); a > 0 && a < 1 {
		d = max(least, 1-int(math.Floor(math.Log10(a))))
	}
	return strconv.FormatFloat(v, 'f', d, 64)
}

// machine describes where the figures were measured, which they depend on
// as much as on koodrive.
func machine(wrkVersion string) string {
	cpu := "unknown CPU"
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	return fmt.Sprintf("machine: %d CPUs (%s), %s/%s, %s, %s; loads on 127.0.0.1",
		runtime.NumCPU(), cpu, runtime.GOOS, runtime.GOARCH, runtime.Version(), wrkVersion)
}
