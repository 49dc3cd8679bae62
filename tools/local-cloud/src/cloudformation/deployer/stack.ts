export interface StackOutput {
  key: string;
  value: string;
  description?: string;
  exportName?: string;
}

export interface StackResource {
  logicalId: string;
  type: string;
  physicalId: string;
  /** `skipped`: a type with no local meaning (deployment bucket, log group), reported and not emulated. */
  status: 'created' | 'skipped';
}

export interface Stack {
  stackName: string;
  stackId: string;
  status: 'CREATE_COMPLETE' | 'UPDATE_COMPLETE';
  createdAt: Date;
  updatedAt: Date;
  description?: string;
  outputs: StackOutput[];
  resources: StackResource[];
}
