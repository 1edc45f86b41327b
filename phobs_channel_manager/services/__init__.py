"""The six services of the channel manager: plain classes over (env, backend).

Models, crons and the controller call them; they are the only callers of the Phobs client.
"""
