// The experiment a "New experiment" starts from: small, valid, and quick to run.
export const NEW_EXPERIMENT_TEXT = `# A new experiment. The form and this file are the same experiment: edit either.
name: my-experiment
seed: 1
duration: 10s
nodes:
  count: 3
  program: echo
network:
  latency: { distribution: normal, mean: 5ms, jitter: 1ms }
  loss: 0.01
workload: { kind: echo, rate: 50, clients: 2, timeout: 1s }
`;
