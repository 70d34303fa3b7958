package memstat

import (
	"os"
	"testing"
)

const status = `Name:	presswatch
VmPeak:	 2394120 kB
VmSize:	 2390024 kB
VmHWM:	  406528 kB
VmRSS:	  204800 kB
RssAnon:	  153600 kB
RssFile:	   51200 kB
RssShmem:	       0 kB
Threads:	12
`

func TestParseTakesEachFigureFromItsOwnLine(t *testing.T) {
	got := Parse(status)
	want := Status{Peak: 397, Resident: 200, Anon: 150, File: 50}
	if got != want {
		t.Errorf("Parse = %+v, want %+v", got, want)
	}
	if z := Parse("Name:\tx\nState:\tZ (zombie)\n"); z != (Status{}) {
		t.Errorf("a zombie's status gave %+v, want zeros", z)
	}
}

func TestSelfReadsThisProcess(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc here")
	}
	s, err := Self()
	if err != nil {
		t.Fatal(err)
	}
	if s.Resident <= 0 || s.Anon <= 0 || s.Peak < s.Resident {
		t.Errorf("Self = %+v: want resident and private memory, and a peak at least what is resident", s)
	}
	if _, err := Read(os.Getpid()); err != nil {
		t.Errorf("Read(own pid): %v", err)
	}
	if _, err := Read(-1); err == nil {
		t.Error("Read(-1) gave no error")
	}
}
