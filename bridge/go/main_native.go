//go:build !js

package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
)

// The native engine reads one JSON request per line on stdin and writes one response per line
// on stdout, in order. It exits when stdin closes, so a dead parent never leaves it running.
func main() {
	flags := registerEngineFlags()
	flag.Parse()
	e := newEngine("native", nil, flags)
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	for {
		line, err := in.ReadBytes('\n')
		if len(line) > 0 && !(len(line) == 1 && line[0] == '\n') {
			out.Write(e.handleLine(line))
			out.WriteByte('\n')
			if ferr := out.Flush(); ferr != nil {
				os.Exit(1)
			}
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "read:", err)
			os.Exit(1)
		}
	}
}
