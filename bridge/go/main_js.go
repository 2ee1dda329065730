//go:build js

package main

import (
	"flag"
	"sync"
	"syscall/js"
)

// Under GOOS=js the engine registers one global JS function, named by the host so several
// engines can live in one JS realm: fn(requestJSON) -> Promise<responseJSON>. A second
// function, <name>_exit, ends the program. Registry traffic goes through the host's fetch
// callback (-fetch), because Go's net/http cannot reach the network under Node.
func main() {
	name := flag.String("name", "__opmCueEngine", "global JS function to register")
	fetchName := flag.String("fetch", "", "global JS function the engine calls for HTTP(S)")
	flags := registerEngineFlags()
	flag.Parse()

	var transport *jsTransport
	if *fetchName != "" {
		transport = &jsTransport{fetch: js.Global().Get(*fetchName)}
	}
	e := newEngine("wasm", nil, flags)
	if transport != nil {
		e.transport = transport
	}
	// The CUE context is not safe for concurrent use; requests run one at a time.
	var mu sync.Mutex
	promise := js.Global().Get("Promise")
	handler := js.FuncOf(func(_ js.Value, args []js.Value) any {
		line := []byte(args[0].String())
		var resolve js.Value
		executor := js.FuncOf(func(_ js.Value, a []js.Value) any {
			resolve = a[0]
			return nil
		})
		p := promise.New(executor)
		executor.Release()
		// Never block inside a js.FuncOf callback: the work needs the JS event loop (fetch),
		// which this callback is holding. A goroutine per call avoids that deadlock.
		go func() {
			mu.Lock()
			out := e.handleLine(line)
			mu.Unlock()
			resolve.Invoke(string(out))
		}()
		return p
	})
	done := make(chan struct{})
	exit := js.FuncOf(func(_ js.Value, _ []js.Value) any {
		close(done)
		return nil
	})
	js.Global().Set(*name, handler)
	js.Global().Set(*name+"_exit", exit)
	<-done
	js.Global().Delete(*name)
	js.Global().Delete(*name + "_exit")
	handler.Release()
	exit.Release()
}
