// The GraphQL operations an agent sends. Every one carries the host's name and agent token;
// message bodies are JSON strings of the schemas in messages.ts.

export const AGENT_HELLO = /* GraphQL */ `
  mutation AgentHello($host: String!, $token: String!, $payload: String!) {
    agentHello(host: $host, token: $token, payload: $payload) {
      hostId reportIntervalMs networkLayout storageDomains memoryPolicy memoryVms
    }
  }`;

export const AGENT_REPORT = /* GraphQL */ `
  mutation AgentReport($host: String!, $token: String!, $payload: String!) {
    agentReport(host: $host, token: $token, payload: $payload)
  }`;

export const AGENT_MEMORY_EVENTS = /* GraphQL */ `
  mutation AgentMemoryEvents($host: String!, $token: String!, $payload: String!) {
    agentMemoryEvents(host: $host, token: $token, payload: $payload)
  }`;

export const AGENT_COMMAND_RESULT = /* GraphQL */ `
  mutation AgentCommandResult($host: String!, $token: String!, $payload: String!) {
    agentCommandResult(host: $host, token: $token, payload: $payload)
  }`;

export const AGENT_COMMANDS = /* GraphQL */ `
  subscription AgentCommands($host: String!, $token: String!) {
    agentCommands(host: $host, token: $token)
  }`;
