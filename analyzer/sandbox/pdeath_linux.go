package sandbox

import "syscall"

// setPdeathsig makes the kernel send SIGQUIT (PostgreSQL's immediate
// shutdown) to the child when the thread that started it dies, so a
// crashed or killed pgadvisor leaves no server running. Go sets it after
// switching credentials, which would otherwise clear it.
func setPdeathsig(a *syscall.SysProcAttr) {
	a.Pdeathsig = syscall.SIGQUIT
}
