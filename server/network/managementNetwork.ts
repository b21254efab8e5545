/** oVirt's management network: the engine reaches host agents over it; every cluster of a data center has it. */
export const MANAGEMENT_NETWORK = 'ovirtmgmt';
