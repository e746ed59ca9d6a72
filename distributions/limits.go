package distributions

// MaxParams bounds the number of learnable parameters (graph.CountParams of Flow.Params) of a
// flow read from a file: 1<<26 = 67,108,864 float64 values, 512 MiB. The largest models this
// project trains (a MAF-5 on MNIST, hidden 1024,1024) have 17.3 M.
const MaxParams = 1 << 26

// MaxNu bounds the degrees of freedom ν of a Student-t base (NewStudentT). Its log normalizing
// constant log Γ((ν+D)/2) − log Γ(ν/2) is a difference of two terms of about (ν/2)·log(ν/2),
// 1.1e11 at ν = 1e10, so rounding costs up to about 1e-5 nats there and grows in proportion to
// ν beyond (at ν = 1e300 the constant is meaningless). For larger ν use N(0, I), which the t
// approaches as ν → ∞.
const MaxNu = 1e10
