#!/usr/bin/env python3
"""Bayes-optimal first-crossing decisions for the sequence-of-five task (T = 25, runs of 5, fair bits):
exact dynamic programming over the trailing run length. Prints accuracy and mean decision step per threshold."""
from functools import lru_cache
T=25;K=5
@lru_cache(None)
def q(t,r):
    # prob that a run of K completes in steps t+1..T given trailing run r after step t (no run yet)
    if t==T: return 0.0
    # next bit equal to last (prob .5) -> r+1 ; different -> 1
    same = 1.0 if r+1>=K else q(t+1,r+1)
    diff = q(t+1,1) if K>1 else 1.0
    return 0.5*same+0.5*diff
for theta in (0.9,0.95,0.99):
    # forward DP over (r) mass for undecided, no-run-yet sequences
    mass={1:1.0}  # after step 1
    acc=0.0; stepsum=0.0; t=1
    decided_pos=0.0
    while t<=T and mass:
        new={}
        # decide undecided states at step t
        for r,m in list(mass.items()):
            qq=q(t,r)
            if 1-qq>theta or t==T:
                acc+=m*max(qq,1-qq); stepsum+=m*t; del mass[r]
            elif qq>theta:
                acc+=m*qq; stepsum+=m*t; del mass[r]
        if t==T: break
        for r,m in mass.items():
            # same bit
            if r+1>=K:
                acc+=m*0.5; stepsum+=m*0.5*(t+1)  # run completes: certain positive
            else:
                new[r+1]=new.get(r+1,0)+m*0.5
            new[1]=new.get(1,0)+m*0.5
        mass=new; t+=1
    print(f"theta {theta}: Bayes accuracy at first crossing {acc:.4f}, mean decision step {stepsum:.2f}, P(pos)={q(1,1):.4f}")
