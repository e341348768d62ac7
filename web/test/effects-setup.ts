// Preact runs a component's effects after the next frame: happy-dom's frame is a setImmediate, then Preact's own
// setTimeout. A test that sleeps a few milliseconds for a page to start listening lost that race whenever the
// loaded machine's event loop reached the timers first (seen with four test threads beside the other checks). Here
// effects run right after the render's task, in a microtask: before any timer the test sets, however busy the machine.
import { options } from "preact";

options.requestAnimationFrame = (flush: () => void): void => queueMicrotask(flush);
